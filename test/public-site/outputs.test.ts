/**
 * Scenario: the example configuration with history, an open SEV-1, a resolved incident, upcoming and
 * recurring maintenance, canaries in every internal field, served under /status on a custom address.
 * One build; every output is checked by the real tool for its format.
 */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { z } from "zod";
import { REPO } from "../helpers/workspace.ts";
import { buildPublic, listFiles, plantCanaries, SECRET_ENV, servePathFrom, workspaceWithHistory, type BuiltSite } from "./fixtures.ts";

const run = promisify(execFile);
const URL_ROOT = "https://status.example.com/status/";

let site: BuiltSite;
let files: string[];
let workspaceCanaries = 0;

beforeAll(async () => {
  const root = await workspaceWithHistory();
  await servePathFrom(root, "/status", "https://status.example.com/status");
  await plantCanaries(root);
  for (const file of await listFiles(root)) if (/canary/i.test(await readFile(join(root, file), "latin1"))) workspaceCanaries++;
  site = await buildPublic(root, SECRET_ENV);
  files = await listFiles(site.dir);
});
afterAll(() => site?.remove());

const text = (file: string) => readFile(join(site.dir, file), "utf8");
const json = async (file: string) => JSON.parse(await text(file)) as unknown;

describe("leak test", () => {
  test("no canary from any internal field, secret, state, sample or run log reaches any byte of the public site", async () => {
    // The canaries are really there: providers, config, rules, incidents, state, samples and the run log.
    expect(workspaceCanaries).toBeGreaterThanOrEqual(15);
    const leaks: string[] = [];
    for (const file of files) {
      const bytes = await readFile(join(site.dir, file));
      const body = bytes.toString("latin1");
      for (const match of body.matchAll(/canary[^"<\s]{0,30}/gi)) leaks.push(`${file}: ${match[0]}`);
    }
    expect(leaks).toEqual([]);
  });

  test("hidden incidents (no public component, silent blip) have no page, feed item or API entry", async () => {
    expect(files).not.toContain("incidents/hidden-incident/index.html");
    expect(files).not.toContain("incidents/silent-blip/index.html");
    const all = await json("api/v2/incidents.json") as { incidents: { id: string }[] };
    expect(all.incidents.map((incident) => incident.id)).not.toContain("hidden-incident");
  });
});

describe("HTML", () => {
  test("every page passes the Nu HTML Checker, and the badges pass as SVG", async () => {
    const pages = files.filter((file) => file.endsWith(".html"));
    const badges = files.filter((file) => file.startsWith("badges/") && file.endsWith(".svg")).slice(0, 8);
    expect(pages.length).toBeGreaterThan(10);
    const vnu = join(REPO, "node_modules/vnu-jar/build/dist/vnu.jar");
    const result = await run("java", ["-jar", vnu, "--format", "json", "--exit-zero-always", "--also-check-svg", ...[...pages, ...badges].map((file) => join(site.dir, file))], { maxBuffer: 64 * 1024 * 1024 });
    const messages = (JSON.parse(result.stderr) as { messages: { type: string; subType?: string; url: string; message: string; lastLine?: number }[] }).messages;
    expect(messages.filter((message) => message.type === "error" || message.subType === "warning").map((message) => `${message.url.slice(-60)}:${message.lastLine} ${message.message}`)).toEqual([]);
  }, 120_000);

  test("canonical links, times in UTC inside <time datetime>, no script, no web font", async () => {
    const home = await text("index.html");
    expect(home).toContain(`<link rel="canonical" href="${URL_ROOT}">`);
    expect(await text("incidents/payments-delayed/index.html")).toContain(`<link rel="canonical" href="${URL_ROOT}incidents/payments-delayed/">`);
    expect(home).toMatch(/<time datetime="2026-11-20T10:30:00.000Z">20 Nov 2026, 10:30 UTC<\/time>/);
    expect(home).not.toMatch(/<script/i);
    expect(home).not.toMatch(/@font-face|\.woff/);
    expect(files.filter((file) => file.endsWith(".js"))).toEqual([]);
  });

  test("robots.txt and the sitemap name every page by its absolute address", async () => {
    expect(await text("robots.txt")).toContain(`Sitemap: ${URL_ROOT}sitemap.xml`);
    const sitemap = await text("sitemap.xml");
    expect(XMLValidator.validate(sitemap)).toBe(true);
    const locs = [...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)].map((match) => match[1]!);
    const pages = files.filter((file) => file.endsWith("index.html")).map((file) => `${URL_ROOT}${file.replace(/index\.html$/, "")}`);
    expect(locs.sort()).toEqual(pages.sort());
  });
});

describe("feeds", () => {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", isArray: (_name, path) => ["rss.channel.item", "feed.entry", "feed.entry.link"].includes(String(path)) });
  type Rss = { rss: { channel: { item: { title: string; link: string; guid: { "#text": string; "@isPermaLink": string }; pubDate: string; "content:encoded": string }[] } } };
  type Atom = { feed: { entry: { id: string; title: string; updated: string; link: { "@href": string }[] }[] } };

  test("RSS 2.0: one item per incident or maintenance, guid = permalink, dated by the latest update, updates newest first", async () => {
    const xml = await text("history.rss");
    expect(XMLValidator.validate(xml)).toBe(true);
    const items = (parser.parse(xml) as Rss).rss.channel.item;
    expect(items.map((item) => item.link).sort()).toEqual(
      ["payments-delayed", "login-errors", "database-slow", "database-upgrade", "weekly-api-restart"].map((id) => `${URL_ROOT}incidents/${id}/`).sort(),
    );
    for (const item of items) {
      expect(item.guid["#text"]).toBe(item.link);
      expect(item.guid["@isPermaLink"]).toBe("true");
    }
    const login = items.find((item) => item.link.endsWith("/login-errors/"))!;
    expect(new Date(login.pubDate).toISOString()).toBe("2026-11-17T10:10:00.000Z");
    const times = [...login["content:encoded"].matchAll(/<small>([^<]+)<\/small>/g)].map((match) => match[1]);
    expect(times).toEqual(["17 Nov 2026, 10:10 UTC", "17 Nov 2026, 09:40 UTC", "17 Nov 2026, 09:05 UTC"]);
  });

  test("Atom 1.0: entry id = permalink, updated = latest update; each component has its own feeds", async () => {
    const xml = await text("history.atom");
    expect(XMLValidator.validate(xml)).toBe(true);
    const entries = (parser.parse(xml) as Atom).feed.entry;
    const payments = entries.find((entry) => entry.id.endsWith("/payments-delayed/"))!;
    expect(payments.id).toBe(`${URL_ROOT}incidents/payments-delayed/`);
    expect(payments.updated).toBe("2026-11-20T09:55:00.000Z");
    const componentFeed = (parser.parse(await text("components/payment-webhooks/history.atom")) as Atom).feed.entry;
    expect(componentFeed.map((entry) => entry.id)).toEqual([`${URL_ROOT}incidents/payments-delayed/`]);
    expect(XMLValidator.validate(await text("components/postgres-database/history.rss"))).toBe(true);
  });
});

describe("Statuspage v2 API", () => {
  const iso = z.iso.datetime({ offset: true });
  const page = z.strictObject({ id: z.string(), name: z.string(), url: z.string(), time_zone: z.string(), updated_at: iso });
  const status = z.strictObject({ indicator: z.enum(["none", "minor", "major", "critical", "maintenance"]), description: z.string() });
  const componentStatus = z.enum(["operational", "degraded_performance", "partial_outage", "major_outage", "under_maintenance"]);
  const component = z.strictObject({
    id: z.string(),
    name: z.string(),
    status: componentStatus,
    created_at: iso,
    updated_at: iso,
    position: z.number().int(),
    description: z.string().nullable(),
    showcase: z.boolean(),
    start_date: z.iso.date().nullable(),
    group_id: z.string().nullable(),
    page_id: z.string(),
    group: z.boolean(),
    only_show_if_degraded: z.boolean(),
    components: z.array(z.string()).optional(),
  });
  const update = z.strictObject({
    id: z.string(),
    incident_id: z.string(),
    status: z.enum(["investigating", "identified", "monitoring", "resolved", "postmortem", "scheduled", "in_progress", "verifying", "completed"]),
    body: z.string(),
    created_at: iso,
    updated_at: iso,
    display_at: iso,
    affected_components: z.array(z.strictObject({ code: z.string(), name: z.string(), old_status: componentStatus, new_status: componentStatus })).nullable(),
    deliver_notifications: z.boolean(),
    custom_tweet: z.null(),
    tweet_id: z.null(),
  });
  const incidentFields = {
    id: z.string(),
    name: z.string(),
    impact: z.enum(["none", "minor", "major", "critical", "maintenance"]),
    created_at: iso,
    updated_at: iso,
    started_at: iso,
    monitoring_at: iso.nullable(),
    resolved_at: iso.nullable(),
    shortlink: z.url(),
    page_id: z.string(),
    components: z.array(component),
    incident_updates: z.array(update),
  };
  const incident = z.strictObject({ ...incidentFields, status: z.enum(["investigating", "identified", "monitoring", "resolved", "postmortem"]) });
  const maintenance = z.strictObject({ ...incidentFields, status: z.enum(["scheduled", "in_progress", "verifying", "completed"]), scheduled_for: iso, scheduled_until: iso });

  test("every file has the documented shape and enums", async () => {
    const summary = z.strictObject({ page, status, components: z.array(component), incidents: z.array(incident), scheduled_maintenances: z.array(maintenance) }).parse(await json("api/v2/summary.json"));
    z.strictObject({ page, status }).parse(await json("api/v2/status.json"));
    z.strictObject({ page, components: z.array(component) }).parse(await json("api/v2/components.json"));
    const all = z.strictObject({ page, incidents: z.array(incident) }).parse(await json("api/v2/incidents.json"));
    const unresolved = z.strictObject({ page, incidents: z.array(incident) }).parse(await json("api/v2/incidents/unresolved.json"));
    z.strictObject({ page, incident }).parse(await json("api/v2/incidents/login-errors.json"));
    const maintenances = z.strictObject({ page, scheduled_maintenances: z.array(maintenance) }).parse(await json("api/v2/scheduled-maintenances.json"));
    const upcoming = z.strictObject({ page, scheduled_maintenances: z.array(maintenance) }).parse(await json("api/v2/scheduled-maintenances/upcoming.json"));
    const active = z.strictObject({ page, scheduled_maintenances: z.array(maintenance) }).parse(await json("api/v2/scheduled-maintenances/active.json"));

    expect(summary.status).toEqual({ indicator: "major", description: "Partial System Outage" });
    expect(summary.page.url).toBe(URL_ROOT);
    expect(unresolved.incidents.map((entry) => entry.id)).toEqual(["payments-delayed"]);
    expect(all.incidents.map((entry) => entry.id)).toEqual(["payments-delayed", "login-errors", "database-slow"]);
    expect(all.incidents[1]!.incident_updates.map((entry) => entry.status)).toEqual(["resolved", "monitoring", "investigating"]);
    const billing = summary.components.find((entry) => entry.name === "Billing")!;
    expect(billing.group).toBe(true);
    const payments = summary.components.find((entry) => entry.id === "payment-webhooks")!;
    expect(payments).toMatchObject({ status: "partial_outage", group_id: billing.id });
    expect(billing.components).toContain("payment-webhooks");
    // The weekly restart (Sunday 03:00 Berlin = 02:00 UTC) is expanded into windows; the upgrade is one.
    expect(upcoming.scheduled_maintenances.map((entry) => [entry.id, entry.scheduled_for])).toEqual(
      expect.arrayContaining([
        ["database-upgrade", "2026-11-22T10:30:00.000Z"],
        ["weekly-api-restart-202611220200", "2026-11-22T02:00:00.000Z"],
        ["weekly-api-restart-202611290200", "2026-11-29T02:00:00.000Z"],
      ]),
    );
    expect(active.scheduled_maintenances).toEqual([]);
    expect(maintenances.scheduled_maintenances.length).toBeGreaterThanOrEqual(2);
  });
});

describe("badges", () => {
  // The shields.io endpoint schema: strict, as shields rejects unknown keys.
  const endpoint = z.strictObject({
    schemaVersion: z.literal(1),
    label: z.string(),
    message: z.string().min(1),
    color: z.string().optional(),
    labelColor: z.string().optional(),
    isError: z.boolean().optional(),
    namedLogo: z.string().optional(),
    logoSvg: z.string().optional(),
    logoColor: z.string().optional(),
    logoSize: z.string().optional(),
    style: z.string().optional(),
    cacheSeconds: z.number().int().min(300).optional(),
  });

  test("every component has status, uptime (24 h, 7 d, 30 d, 90 d) and response-time badges as shields JSON and SVG", async () => {
    const badgeFiles = files.filter((file) => file.startsWith("badges/"));
    const names = ["status", "uptime-24h", "uptime-7d", "uptime-30d", "uptime-90d", "response-time"];
    for (const component of ["payment-webhooks", "postgres-database", "better-auth", "health-endpoint", "booking.changed", "payment-rails"]) {
      for (const name of names) {
        expect(badgeFiles).toContain(`badges/${component}/${name}.json`);
        expect(badgeFiles).toContain(`badges/${component}/${name}.svg`);
      }
    }
    for (const file of badgeFiles.filter((file) => file.endsWith(".json"))) endpoint.parse(await json(file));
    for (const file of badgeFiles.filter((file) => file.endsWith(".svg"))) {
      const svg = await text(file);
      expect(XMLValidator.validate(svg)).toBe(true);
      expect(svg).not.toMatch(/<script|href=|@import|url\(/i);
    }
    expect(await json("badges/payment-webhooks/status.json")).toEqual({ schemaVersion: 1, label: "Payments", message: "partial outage", color: "orange", cacheSeconds: 300 });
    expect(await json("badges/status.json")).toMatchObject({ message: "partial outage" });
    expect((await json("badges/postgres-database/uptime-90d.json") as { message: string }).message).toMatch(/^\d+(\.\d\d)?%$/);
    expect((await json("badges/postgres-database/response-time.json") as { message: string }).message).toMatch(/^\d+ ms$/);
  });
});

describe("social images", () => {
  test("home and every incident and maintenance have a 1200×630 PNG", async () => {
    const images = files.filter((file) => file.startsWith("og/"));
    expect(images.sort()).toEqual(["og/home.png", ...["database-slow", "database-upgrade", "login-errors", "payments-delayed", "weekly-api-restart"].map((id) => `og/incidents/${id}.png`)].sort());
    for (const file of images) {
      const png = await readFile(join(site.dir, file));
      expect(png.subarray(1, 4).toString()).toBe("PNG");
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1200, 630]);
    }
    expect(await text("incidents/payments-delayed/index.html")).toContain(`<meta property="og:image" content="${URL_ROOT}og/incidents/payments-delayed.png">`);
  });
});
