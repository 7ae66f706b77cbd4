import { chromium, type Browser } from "playwright-core";

/**
 * Debian's Chromium, headless. The background-networking flags matter: this machine has no outside
 * network and Chromium would otherwise keep trying to reach Google's services.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
}

export { serveStatic, type StaticServer } from "../../scripts/demo/serve.ts";
