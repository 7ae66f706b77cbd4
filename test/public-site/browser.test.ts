/**
 * What needs a browser (Debian's Chromium): the page without JavaScript, accessibility (axe-core), every
 * internal link under a non-root base path, and hostile text that must never run.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { XMLValidator } from "fast-xml-parser";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { launchBrowser, serveStatic, type StaticServer } from "../helpers/browser.ts";
import { feedProblems } from "../helpers/feeds.ts";
import { REPO } from "../helpers/workspace.ts";
import { buildPublic, HOSTILE, NOW, plantHostile, servePathFrom, workspaceWithHistory, type BuiltSite } from "./fixtures.ts";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: join(REPO, "node_modules/axe-core/axe.min.js") });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(options: object): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run({ runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } });
    return result.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`);
  });
  return violations;
}

describe("scenario: the example page under /status with an outage, incidents and maintenance", () => {
  let site: BuiltSite;
  let server: StaticServer;
  beforeAll(async () => {
    const root = await workspaceWithHistory();
    await servePathFrom(root, "/status", "https://status.example.com/status");
    site = await buildPublic(root);
    server = await serveStatic(site.dir, "/status");
  });
  afterAll(async () => {
    await server?.close();
    await site?.remove();
  });

  test("the home page shows the status without JavaScript", async () => {
    const page = await browser.newPage({ javaScriptEnabled: false });
    try {
      await page.goto(server.url);
      await expect(page.locator(".banner").textContent()).resolves.toBe("Partial outage");
      expect(await page.locator("#h-active").textContent()).toBe("Active incidents");
      expect(await page.locator(".event h3").allTextContents()).toContain("Card payments are delayed");
      expect(await page.locator(".bars").count()).toBe(6);
      expect(await page.locator(".bars").first().locator("li").count()).toBe(90);
      expect(await page.locator("text=Upcoming maintenance").count()).toBe(1);
    } finally {
      await page.close();
    }
  });

  test("axe-core finds no violations on the home, incident, component and history pages, light and dark", async () => {
    for (const colorScheme of ["light", "dark"] as const) {
      const page = await browser.newPage({ colorScheme });
      try {
        for (const path of ["", "incidents/payments-delayed/", "incidents/weekly-api-restart/", "components/payment-webhooks/", "history/"]) {
          await page.goto(`${server.url}${path}`);
          expect(await axeViolations(page), `${colorScheme} ${path}`).toEqual([]);
        }
      } finally {
        await page.close();
      }
    }
  });

  test("every internal link, image and feed reachable from the home page resolves under the base path", async () => {
    const page = await browser.newPage({ javaScriptEnabled: false });
    const origin = new URL(server.url).origin;
    const seen = new Set<string>();
    const queue = [server.url];
    const broken: string[] = [];
    try {
      while (queue.length > 0) {
        const url = queue.shift()!;
        if (seen.has(url)) continue;
        seen.add(url);
        const response = await fetch(url);
        if (response.status !== 200) {
          broken.push(`${response.status} ${url}`);
          continue;
        }
        if (!(response.headers.get("content-type") ?? "").startsWith("text/html")) continue;
        await page.goto(url);
        const links = await page.$$eval("a[href], link[href], img[src]", (elements) => elements.map((element) => (element as HTMLAnchorElement).href || (element as HTMLImageElement).src));
        for (const link of links) {
          const target = new URL(link, url);
          target.hash = "";
          if (target.origin === origin) queue.push(target.toString());
          else expect(target.origin, `${link} on ${url}`).toBe("https://status.example.com");
        }
      }
    } finally {
      await page.close();
    }
    expect(broken).toEqual([]);
    expect([...seen].every((url) => url.startsWith(server.url))).toBe(true);
    expect(seen.size).toBeGreaterThan(40);
  });
});

describe("scenario: a real Statuspage consumer reads the API", () => {
  let site: BuiltSite;
  let server: StaticServer;
  beforeAll(async () => {
    site = await buildPublic(await workspaceWithHistory());
    server = await serveStatic(site.dir);
  });
  afterAll(async () => {
    await server?.close();
    await site?.remove();
  });

  test("Atlassian's status widget (@statuspage/status-widget) shows the page's indicator and words from summary.json", async () => {
    const summary = JSON.parse(await readFile(join(site.dir, "api/v2/summary.json"), "utf8")) as { status: { indicator: string; description: string } };
    expect(summary.status).toEqual({ indicator: "major", description: "Partial System Outage" });
    const page = await browser.newPage();
    const widget = await readFile(join(REPO, "node_modules/@statuspage/status-widget/dist/index.js"), "utf8");
    // The widget is embedded on another page of the same host; it fetches <src>/api/v2/summary.json itself.
    await page.route(`${server.url}embed.html`, (route) => route.fulfill({ contentType: "text/html", body: `<!doctype html><title>embed</title><statuspage-widget src="${server.url}"></statuspage-widget><statuspage-widget src="${server.url}" appearance="badge" title="Signalroom"></statuspage-widget><script src="widget.js"></script>` }));
    await page.route(`${server.url}widget.js`, (route) => route.fulfill({ contentType: "text/javascript", body: widget }));
    try {
      const requests: string[] = [];
      page.on("request", (request) => requests.push(new URL(request.url()).pathname));
      await page.goto(`${server.url}embed.html`);
      const basic = page.locator("statuspage-widget").first().locator(".status-text");
      await expect.poll(() => basic.textContent(), { timeout: 20_000 }).toBe("Partial System Outage");
      expect(await page.locator("statuspage-widget").first().locator(".status-indicator").getAttribute("class")).toBe("status-indicator major");
      expect((await page.locator("statuspage-widget").nth(1).locator(".status-indicator").textContent())?.trim()).toBe("Partial System Outage");
      expect(requests).toContain("/api/v2/summary.json");
    } finally {
      await page.close();
    }
  });

  test("the local server answers an unknown address with the site's own 404 page", async () => {
    const response = await fetch(`${server.url}no-such-page/`);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("This page does not exist.");
    expect((await fetch(`${server.url}api/v2/summary.json`)).headers.get("access-control-allow-origin")).toBe("*");
  });
});

describe("scenario: hostile titles, names and markdown", () => {
  let site: BuiltSite;
  let server: StaticServer;
  beforeAll(async () => {
    const root = await workspaceWithHistory();
    await plantHostile(root);
    site = await buildPublic(root);
    server = await serveStatic(site.dir);
  });
  afterAll(async () => {
    await server?.close();
    await site?.remove();
  });

  test("no script runs, no dialog opens, no handler or javascript: link survives, and the text still reads", async () => {
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on("dialog", async (dialog) => {
      dialogs.push(dialog.message());
      await dialog.dismiss();
    });
    try {
      for (const path of ["", "incidents/hostile/", "components/payment-webhooks/", "history/", "404.html"]) {
        await page.goto(`${server.url}${path}`);
        await page.waitForLoadState("load");
        const found = await page.evaluate(() => ({
          pwned: (window as unknown as { __pwned?: number }).__pwned,
          scripts: document.scripts.length,
          handlers: [...document.querySelectorAll("*")].flatMap((element) => [...element.attributes].filter((attribute) => attribute.name.startsWith("on")).map((attribute) => attribute.name)),
          dangerous: [...document.querySelectorAll("a[href], form[action], iframe, object, embed")].map((element) => element.outerHTML).filter((html) => /javascript:|data:|<iframe|<object|<embed|<form/i.test(html)),
          hidden: getComputedStyle(document.body).display,
        }));
        expect(found, path).toEqual({ pwned: undefined, scripts: 0, handlers: [], dangerous: [], hidden: "block" });
      }
      await page.goto(`${server.url}incidents/hostile/`);
      expect(await page.locator("main h2").first().textContent()).toBe(`<svg onload="window.__pwned=1"></svg>Outage ]]> & <b>"quotes"</b>`);
      expect(await page.title()).toContain("<script>window.__pwned=1</script>");
    } finally {
      await page.close();
    }
    expect(dialogs).toEqual([]);
  });

  test("a feed reader that renders HTML runs nothing from the feeds and shows the titles as the operator wrote them", async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${server.url}404.html`);
      for (const file of ["history.atom", "history.rss", "components/payment-webhooks/history.atom"]) {
        const xml = await readFile(join(site.dir, file), "utf8");
        expect(feedProblems(xml, NOW), file).toEqual([]);
        const shown = await page.evaluate(async (source) => {
          // Every field a reader may treat as HTML goes through innerHTML, as readers that render HTML do.
          const doc = new DOMParser().parseFromString(source, "application/xml");
          const fields = [...doc.querySelectorAll("entry > title, entry > summary, entry > content, item > title, item > description, item > *")];
          const root = document.createElement("div");
          document.body.append(root);
          const titles: string[] = [];
          for (const field of fields) {
            const box = document.createElement("div");
            box.innerHTML = field.textContent ?? "";
            root.append(box);
            if (field.localName === "title") titles.push(box.textContent ?? "");
          }
          await new Promise((resolve) => setTimeout(resolve, 200));
          return {
            titles,
            pwned: (window as unknown as { __pwned?: number }).__pwned,
            handlers: [...root.querySelectorAll("*")].flatMap((element) => [...element.attributes].filter((attribute) => attribute.name.startsWith("on")).map((attribute) => attribute.name)),
            active: [...root.querySelectorAll("script, iframe, object, embed, svg, style, form")].length,
            links: [...root.querySelectorAll("a[href]")].map((element) => element.getAttribute("href")).filter((href) => !/^(https?:|mailto:)/.test(href ?? "")),
          };
        }, xml);
        expect({ ...shown, titles: undefined }, file).toEqual({ titles: undefined, pwned: undefined, handlers: [], active: 0, links: [] });
        expect(shown.titles, file).toContain(HOSTILE.title);
      }
    } finally {
      await page.close();
    }
  });

  test("feeds, badges and the sitemap stay well-formed XML and the API keeps the text intact", async () => {
    const read = (file: string) => readFile(join(site.dir, file), "utf8");
    for (const file of ["history.rss", "history.atom", "components/payment-webhooks/history.rss", "components/payment-webhooks/history.atom", "badges/payment-webhooks/status.svg", "badges/status.svg", "sitemap.xml"]) {
      expect(XMLValidator.validate(await read(file)), file).toBe(true);
    }
    const incident = JSON.parse(await read("api/v2/incidents/hostile.json")) as { incident: { name: string; incident_updates: { body: string }[] } };
    expect(incident.incident.name).toBe(HOSTILE.title);
    expect(incident.incident.incident_updates[0]!.body).toBe(HOSTILE.message);
    const badge = JSON.parse(await read("badges/payment-webhooks/status.json")) as { label: string };
    expect(badge.label).toBe(HOSTILE.name);
  });
});
