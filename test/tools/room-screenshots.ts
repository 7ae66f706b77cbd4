/**
 * Screenshots of the operations room for the README: the room, one provider page and the dashboard,
 * taken in Debian's Chromium from a built dist/internal.
 *
 *   npm run screenshots:room -- [--site dist/internal] [--out docs/screenshots] [--provider ID]
 *
 * Without --provider, the provider page is the first measured one in priority recovery (else the first
 * in the queue), so a demo build shows a provider that needs attention and has checks.
 */
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { launchBrowser, serveStatic } from "../helpers/browser.ts";

export interface ScreenshotOptions {
  site: string;
  out: string;
  provider?: string;
  /** Tallest a screenshot may be, in CSS pixels: keeps the committed images small. */
  maxHeight?: number;
}

export async function takeScreenshots(options: ScreenshotOptions): Promise<string[]> {
  const server = await serveStatic(options.site);
  const browser = await launchBrowser();
  const written: string[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: "light" });
    await page.goto(server.url);
    const first = async (selector: string) => ((await page.locator(selector).count()) > 0 ? page.locator(selector).first().getAttribute("data-provider") : null);
    const provider = options.provider ?? (await first('.priority [data-measured="true"]')) ?? (await first(".queue [data-provider]"));
    const shots = [
      { name: "room", path: "" },
      { name: "provider", path: `providers/${provider}/` },
      { name: "dashboard", path: "dashboard/" },
    ];
    await mkdir(options.out, { recursive: true });
    for (const shot of shots) {
      await page.goto(`${server.url}${shot.path}`);
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      const file = join(options.out, `${shot.name}.png`);
      await page.screenshot({ path: file, fullPage: true, clip: { x: 0, y: 0, width: 1280, height: Math.min(height, options.maxHeight ?? 2000) } });
      written.push(file);
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return written;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const { values } = parseArgs({ options: { site: { type: "string" }, out: { type: "string" }, provider: { type: "string" } } });
  const files = await takeScreenshots({ site: resolve(values.site ?? "dist/internal"), out: resolve(values.out ?? "docs/screenshots"), provider: values.provider });
  for (const file of files) console.log(`✓ ${file}`);
}
