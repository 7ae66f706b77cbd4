import { stringify } from "yaml";

export interface SplitMarkdown {
  /** The YAML between the `---` fences. */
  yaml: string;
  /** Line number (1-based) of the first YAML line in the file. */
  yamlLine: number;
  body: string;
}

/** Splits `---\nyaml\n---\nbody`; undefined when the file does not start with a frontmatter fence. */
export function splitFrontmatter(text: string): SplitMarkdown | undefined {
  const normalised = text.replace(/^\uFEFF/, "").replace(/\r\n/g, "\n");
  if (!normalised.startsWith("---\n")) return undefined;
  const end = normalised.indexOf("\n---", 3);
  if (end === -1) return undefined;
  const afterFence = normalised.indexOf("\n", end + 4);
  const closing = normalised.slice(end + 1, afterFence === -1 ? undefined : afterFence);
  if (closing.trim() !== "---") return undefined;
  return {
    yaml: normalised.slice(4, end + 1),
    yamlLine: 2,
    body: afterFence === -1 ? "" : normalised.slice(afterFence + 1).replace(/^\n/, ""),
  };
}

/** Serialises frontmatter with the YAML library (never by string templates) followed by the body. */
export function joinFrontmatter(frontmatter: Record<string, unknown>, body: string): string {
  const yaml = stringify(frontmatter, { lineWidth: 0, defaultStringType: "PLAIN", defaultKeyType: "PLAIN" });
  const text = body.trim();
  return `---\n${yaml}---\n${text ? `\n${text}\n` : ""}`;
}
