/**
 * The page's optional logo (page.logo): an image file of the workspace, copied into the public site. An
 * SVG is a document: opened on its own it could run script on the status page's address, so one with
 * script, event handlers, foreign objects or outside references is refused.
 */
export const LOGO_MAX_BYTES = 256 * 1024;

const SVG_DANGER = /<script|<foreignObject|\son[a-z]+\s*=|(?:href|src)\s*=\s*["']?\s*(?!#)[a-z][a-z0-9+.-]*:|@import|url\(\s*["']?\s*(?!#)[a-z][a-z0-9+.-]*:/i;

/** The extension the site serves the logo with: `logo.svg`, `logo.png`… */
export function logoFileName(path: string): string {
  const extension = path.slice(path.lastIndexOf(".") + 1).toLowerCase();
  return `logo.${extension === "jpeg" ? "jpg" : extension}`;
}

/** Why `bytes` cannot be the logo, or undefined when it can. */
export function logoProblem(path: string, bytes: Uint8Array | undefined): string | undefined {
  if (!bytes) return `names ${path}, which does not exist`;
  if (bytes.length > LOGO_MAX_BYTES) return `${path} is ${Math.ceil(bytes.length / 1024)} KB; a logo may be at most ${LOGO_MAX_BYTES / 1024} KB`;
  if (logoFileName(path) === "logo.svg" && SVG_DANGER.test(new TextDecoder().decode(bytes))) {
    return `${path} holds script, event handlers, foreign objects or outside references, which a status page must not serve`;
  }
  return undefined;
}
