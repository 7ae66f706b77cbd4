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
import { writeIncident } from "../../scripts/bench/status-world.ts";
import { feedProblems, parseFeed } from "../helpers/feeds.ts";
import { REPO } from "../helpers/workspace.ts";
import { buildPublic, listFiles, NOW, plantCanaries, SECRET_ENV, servePathFrom, workspaceWithHistory, type BuiltSite } from "./fixtures.ts";

const run = promisify(execFile);
const URL_ROOT = "https://status.example.com/status/";

let site: BuiltSite;
let files: string[];
let workspaceCanaries = 0;

beforeAll(async () => {
  const root = await workspaceWithHistory();
  await servePathFrom(root, "/status", "https://status.example.com/status");
  await plantCanaries(root);
  // A message that already names its status: feeds must not say "Scheduled: Scheduled: …".
  await writeIncident(root, {
    id: "network-work",
    title: "Network work",
    kind: "maintenance",
    status: "scheduled",
    providers: ["health-endpoint"],
    scheduledFor: "2026-11-24T22:00:00Z",
    scheduledUntil: "2026-11-24T23:00:00Z",
    updates: [{ at: "2026-11-19T12:00:00Z", status: "scheduled", message: "Scheduled: network work on Tuesday night." }],
  });
  // Service came back at 08:40, the incident was marked resolved at 09:30: Statuspage's resolved_at is the latter.
  await writeIncident(root, {
    id: "queue-delays",
    title: "Booking updates: requests failing",
    severity: "SEV-3",
    status: "resolved",
    providers: ["booking.changed"],
    impact: "minor",
    components: { "booking.changed": "partial_outage" },
    started: "2026-11-19T08:00:00Z",
    resolved: "2026-11-19T08:40:00Z",
    updates: [
      { at: "2026-11-19T08:05:00Z", status: "investigating", message: "Booking updates are failing." },
      { at: "2026-11-19T08:45:00Z", status: "monitoring", message: "A fix is in place." },
      { at: "2026-11-19T09:30:00Z", status: "resolved", message: "Resolved." },
    ],
  });
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
      ["payments-delayed", "queue-delays", "login-errors", "database-slow", "database-upgrade", "weekly-api-restart", "network-work"].map((id) => `${URL_ROOT}incidents/${id}/`).sort(),
    );
    for (const item of items) {
      expect(item.guid["#text"]).toBe(item.link);
      expect(item.guid["@isPermaLink"]).toBe("true");
    }
    const login = items.find((item) => item.link.endsWith("/login-errors/"))!;
    expect(new Date(login.pubDate).toISOString()).toBe("2026-11-17T10:10:00.000Z");
    const times = [...login["content:encoded"].matchAll(/<em>([^<]+)<\/em>/g)].map((match) => match[1]);
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

  test("every feed passes the W3C feed validator's rules and reads in feedparser: an author, nothing dated after the build", async () => {
    const feeds = files.filter((file) => /history\.(rss|atom)$/.test(file));
    expect(feeds.length).toBeGreaterThan(10);
    for (const file of feeds) {
      const xml = await text(file);
      expect(feedProblems(xml, NOW), file).toEqual([]);
      const { meta, items } = await parseFeed(xml);
      if (file.endsWith(".atom")) expect(meta.author, file).toBe("Signalroom status");
      expect(meta.title, file).toMatch(/^Signalroom status - /);
      for (const item of items) {
        expect(item.date!.getTime(), `${file} ${item.title}`).toBeLessThanOrEqual(NOW.getTime());
        expect(item.guid).toBe(item.link);
      }
    }
  });

  test("a summary names its status once: no 'Scheduled: Scheduled:'", async () => {
    const { items } = await parseFeed(await text("history.atom"));
    const work = items.find((item) => item.link.endsWith("/network-work/"))!;
    expect(work.summary).toBe("Scheduled: network work on Tuesday night.");
    const upgrade = items.find((item) => item.link.endsWith("/database-upgrade/"))!;
    expect(upgrade.summary).toMatch(/^Scheduled: We will upgrade the database/);
  });

  test("the validator rules catch what unsafe feeds did: markup in an html title, a decoded script, no author, a future date", () => {
    const unsafe = [
      '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><id>https://s.example/history.atom</id><title>S</title><updated>2026-11-20T10:00:00Z</updated>',
      '<link rel="self" href="https://s.example/history.atom"/><entry><id>https://s.example/incidents/x/</id><title type="html"><![CDATA[<svg onload="x()"></svg>Outage]]></title>',
      "<updated>2026-11-22T02:00:00Z</updated><summary type=\"html\"><![CDATA[Investigating: <script>x()</script>]]></summary></entry></feed>",
    ].join("");
    expect(feedProblems(unsafe, NOW)).toEqual([
      "ImplausibleDate (in the future): entry[0]/updated = 2026-11-22T02:00:00Z",
      "MissingAuthor: entry[0] (RFC 4287 §4.1.1: the feed or every entry needs one)",
      "SecurityRisk: entry[0]/title <svg> svg[onload]",
      "SecurityRisk: entry[0]/summary <script>",
    ]);
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
    expect(all.incidents.map((entry) => entry.id)).toEqual(["payments-delayed", "queue-delays", "login-errors", "database-slow"]);
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

  test("faithful over time: each update's own transition, resolved_at when marked resolved, timestamps that have happened", async () => {
    const { incident } = (await json("api/v2/incidents/queue-delays.json")) as { incident: Record<string, unknown> & { incident_updates: { status: string; affected_components: unknown }[] } };
    expect(incident).toMatchObject({ started_at: "2026-11-19T08:00:00.000Z", created_at: "2026-11-19T08:05:00.000Z", monitoring_at: "2026-11-19T08:45:00.000Z", resolved_at: "2026-11-19T09:30:00.000Z", updated_at: "2026-11-19T09:30:00.000Z" });
    const effect = (old_status: string, new_status: string) => [{ code: "booking.changed", name: "Bookings", old_status, new_status }];
    expect(incident.incident_updates.map((update) => [update.status, update.affected_components])).toEqual([
      ["resolved", effect("partial_outage", "operational")],
      ["monitoring", null],
      ["investigating", effect("operational", "partial_outage")],
    ]);

    const summary = (await json("api/v2/summary.json")) as { page: { updated_at: string }; components: { created_at: string; updated_at: string }[]; scheduled_maintenances: { id: string; shortlink: string; created_at: string; started_at: string; updated_at: string; scheduled_for: string }[] };
    const everything = (await json("api/v2/incidents.json")) as { incidents: { updated_at: string }[] };
    const latest = [...everything.incidents.map((entry) => entry.updated_at), ...summary.components.map((entry) => entry.updated_at)].sort().at(-1)!;
    expect(summary.page.updated_at).toBe(latest);
    expect(Date.parse(summary.page.updated_at)).toBeLessThanOrEqual(NOW.getTime());
    for (const component of summary.components) expect(component.created_at).toMatch(/T00:00:00\.000Z$/);
    const weekly = summary.scheduled_maintenances.filter((entry) => entry.id.startsWith("weekly-api-restart-"));
    expect(weekly.length).toBeGreaterThanOrEqual(2);
    expect(new Set(weekly.map((entry) => entry.shortlink)).size).toBe(weekly.length);
    for (const occurrence of weekly) {
      expect(occurrence.shortlink).toBe(`${URL_ROOT}incidents/weekly-api-restart/#${occurrence.id}`);
      expect(occurrence).toMatchObject({ created_at: "2026-10-31T10:30:00.000Z", started_at: "2026-10-31T10:30:00.000Z", updated_at: "2026-10-31T10:30:00.000Z" });
      expect(occurrence.created_at <= summary.page.updated_at && occurrence.scheduled_for > NOW.toISOString()).toBe(true);
    }
    expect(await text("incidents/weekly-api-restart/index.html")).toContain(`<li id="${weekly[0]!.id}">`);
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
    expect(images.sort()).toEqual(["og/home.png", ...["database-slow", "database-upgrade", "login-errors", "network-work", "payments-delayed", "queue-delays", "weekly-api-restart"].map((id) => `og/incidents/${id}.png`)].sort());
    for (const file of images) {
      const png = await readFile(join(site.dir, file));
      expect(png.subarray(1, 4).toString()).toBe("PNG");
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1200, 630]);
    }
    expect(await text("incidents/payments-delayed/index.html")).toContain(`<meta property="og:image" content="${URL_ROOT}og/incidents/payments-delayed.png">`);
  });
});
