/**
 * Every channel with a length limit, fed many generated long notifications (seeded, so a failure repeats):
 * each payload must be within the channel's limits and its markup must still parse: Telegram's HTML through
 * htmlparser2 (every tag closed in order, only Telegram's tags, no split entity), Slack's and Discord's
 * escaping intact, no half surrogate pair anywhere, JSON within byte limits.
 */
import { Parser } from "htmlparser2";
import { describe, expect, test } from "vitest";
import { seededRandom as random } from "../../scripts/bench/random.ts";
import { notificationFor } from "../../scripts/core/alerts/plan.ts";
import type { Notification, NotificationItem } from "../../scripts/core/schema/records.ts";
import { DISCORD_LIMITS, discordRequests } from "../../scripts/notify/discord.ts";
import { GITHUB_BODY_LIMIT, githubActions } from "../../scripts/notify/github.ts";
import { NTFY_LIMITS, ntfyRequests } from "../../scripts/notify/ntfy.ts";
import { OPSGENIE_LIMITS, opsgenieRequests } from "../../scripts/notify/opsgenie.ts";
import { PAGERDUTY_LIMITS, pagerdutyRequests } from "../../scripts/notify/pagerduty.ts";
import { SLACK_LIMITS, slackRequests } from "../../scripts/notify/slack.ts";
import { TEAMS_LIMIT_BYTES, teamsRequests } from "../../scripts/notify/teams.ts";
import { TELEGRAM_LIMIT, telegramText } from "../../scripts/notify/telegram.ts";
import { route as routeSchema } from "../../scripts/schemas.ts";
import { paymentsDown } from "./fixtures.ts";

/** Pieces that break naive cutting: markup characters, entities, emoji and other astral characters, combining marks. */
const PIECES = ["payments", "webhook", "&", "&amp;", "<b>", "</i>", "<", ">", "*bold*", "_x_", "~", "`code`", "|", "\\", "🚨", "𝔘𝔫𝔦", "é", "👩‍💻", "\n", '"q"', "'", "ü", "—"];

function text(next: () => number, length: number): string {
  let out = "";
  while (out.length < length) out += next() < 0.3 ? PIECES[Math.floor(next() * PIECES.length)]! : `word${Math.floor(next() * 1000)} `;
  return out;
}

function generated(seed: number): Notification {
  const next = random(seed);
  const long = (max: number) => text(next, Math.floor(next() * max));
  const count = 1 + Math.floor(next() * 30);
  const items: NotificationItem[] = Array.from({ length: count }, (_, index) => ({
    ...paymentsDown,
    id: `rule-${index}@20261116T1047Z/trigger`,
    alert: `rule-${index}@20261116T1047Z`,
    rule: `rule-${index}`,
    title: `${long(300)}: rule-${index}`,
    impact: long(3000),
    detail: long(6000),
    lead: long(200) || "Operations",
    next: Array.from({ length: Math.floor(next() * 8) }, () => long(1500)),
  }));
  return notificationFor("route", items, new Date("2026-11-16T10:47:00.000Z"));
}

const MESSAGES = Array.from({ length: 120 }, (_, seed) => generated(seed + 1));
const route = (fields: Record<string, unknown>) => routeSchema.parse({ id: "route", ...fields }) as never;
const bodies = (requests: { body: string }[]) => requests.map((request) => JSON.parse(request.body));

/** Problems with a text as Telegram's HTML mode would parse it; empty when it is valid. */
function telegramHtmlProblems(html: string): string[] {
  const problems: string[] = [];
  const open: string[] = [];
  const parser = new Parser(
    {
      onopentag(name) {
        if (!["b", "i"].includes(name)) problems.push(`tag <${name}> is not one we send`);
        open.push(name);
      },
      onclosetag(name, implied) {
        if (implied) problems.push(`<${name}> was never closed`);
        if (open.pop() !== name) problems.push(`</${name}> closes the wrong tag`);
      },
    },
    { decodeEntities: true, recognizeSelfClosing: false },
  );
  parser.write(html);
  parser.end();
  const loose = html.match(/&(?!(?:amp|lt|gt|quot);)[^\s]{0,8}/g);
  if (loose) problems.push(`not an entity: ${loose.join(" ")}`);
  if (!html.isWellFormed()) problems.push("half a surrogate pair");
  return problems;
}

describe("channels cut long messages within their limits, with valid markup", () => {
  test("the generated messages really are long: most need cutting somewhere", () => {
    const cut = MESSAGES.filter((message) => telegramText(message).includes("cut to fit") || telegramText(message).includes("more: see the operations room"));
    expect(cut.length).toBeGreaterThan(MESSAGES.length * 0.8);
  });

  test("the checker catches what the old cut produced: an open <b> and a split &amp;", () => {
    expect(telegramHtmlProblems("<b>STATUS:</b> Money &am")).toEqual(["not an entity: &am"]);
    expect(telegramHtmlProblems("<b>IMPACT: cut her")).toEqual(["<b> was never closed"]);
    expect(telegramHtmlProblems("<b><i>crossed</b></i>")).not.toEqual([]);
    expect(telegramHtmlProblems("<b>fine</b> &amp; &lt;ok&gt;")).toEqual([]);
  });

  test("Telegram: within 4096 characters, and the HTML parses with every tag closed and no split entity", () => {
    for (const message of MESSAGES) {
      const html = telegramText(message);
      expect(html.length).toBeLessThanOrEqual(TELEGRAM_LIMIT);
      expect(telegramHtmlProblems(html), html.slice(-200)).toEqual([]);
    }
  });

  test("Slack: sections, header and fallback text within limits; &, < and > always escaped", () => {
    for (const message of MESSAGES) {
      const [payload] = bodies(slackRequests(message, route({ channel: "slack", webhookUrl: "${env:HOOK_URL}" })));
      expect(payload.blocks.length).toBeLessThanOrEqual(50);
      expect(payload.blocks[0].text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.header);
      expect(payload.text.length).toBeLessThanOrEqual(SLACK_LIMITS.text);
      for (const block of payload.blocks.filter((candidate: { type: string }) => candidate.type === "section")) {
        const section: string = block.text.text;
        expect(section.length).toBeLessThanOrEqual(SLACK_LIMITS.section);
        expect(section).not.toMatch(/[<>]|&(?!(?:amp|lt|gt);)/);
        expect(section.isWellFormed()).toBe(true);
      }
    }
  });

  test("Discord: every field, embed and the message total within limits; markdown characters escaped", () => {
    for (const message of MESSAGES) {
      const [payload] = bodies(discordRequests(message, route({ channel: "discord", webhookUrl: "${env:HOOK_URL}" })));
      expect(payload.content.length).toBeLessThanOrEqual(DISCORD_LIMITS.content);
      expect(payload.embeds.length).toBeLessThanOrEqual(DISCORD_LIMITS.embeds);
      let total = 0;
      for (const embed of payload.embeds as { title: string; description?: string; fields: { name: string; value: string }[] }[]) {
        expect(embed.title.length).toBeLessThanOrEqual(DISCORD_LIMITS.title);
        expect((embed.description ?? "").length).toBeLessThanOrEqual(DISCORD_LIMITS.description);
        expect(embed.fields.length).toBeLessThanOrEqual(25);
        for (const field of embed.fields) {
          expect(field.value.length).toBeGreaterThan(0);
          expect(field.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
          // Every markdown character is escaped, so a cut cannot leave half a `**`.
          expect(field.value.replace(/\\[\\*_~`|]/g, "")).not.toMatch(/[*_~`|]/);
          expect(field.value.isWellFormed()).toBe(true);
        }
        total += embed.title.length + (embed.description ?? "").length + embed.fields.reduce((sum, field) => sum + field.name.length + field.value.length, 0);
      }
      expect(total).toBeLessThanOrEqual(DISCORD_LIMITS.total);
    }
  });

  test("Teams: the request body within 28 KB, and valid JSON", () => {
    for (const message of MESSAGES) {
      const [request] = teamsRequests(message, route({ channel: "teams", webhookUrl: "${env:HOOK_URL}" }));
      expect(Buffer.byteLength(request!.body)).toBeLessThanOrEqual(TEAMS_LIMIT_BYTES);
      expect(JSON.parse(request!.body).attachments[0].content.type).toBe("AdaptiveCard");
    }
  });

  test("ntfy: the message within 4096 bytes of well-formed UTF-8, the title short", () => {
    for (const message of MESSAGES) {
      const [payload] = bodies(ntfyRequests(message, route({ channel: "ntfy", topic: "alerts", server: "http://127.0.0.1:1" })));
      expect(Buffer.byteLength(payload.message)).toBeLessThanOrEqual(NTFY_LIMITS.messageBytes);
      expect(payload.message.isWellFormed()).toBe(true);
      expect(payload.title.length).toBeLessThanOrEqual(NTFY_LIMITS.title);
    }
  });

  test("GitHub: every issue body and comment within 65,536 characters", () => {
    for (const message of MESSAGES) for (const detail of ["internal", "owner-safe"] as const) for (const action of githubActions(message, detail)) expect(action.body.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
  });

  test("Opsgenie: message, description, note, details and tags within limits", () => {
    for (const message of MESSAGES) {
      for (const body of bodies(opsgenieRequests(message, route({ channel: "opsgenie", apiKey: "${env:OPSGENIE_KEY}", endpoint: "http://127.0.0.1:1" })))) {
        if (body.message !== undefined) {
          expect(body.message.length).toBeLessThanOrEqual(OPSGENIE_LIMITS.message);
          expect(body.description.length).toBeLessThanOrEqual(OPSGENIE_LIMITS.description);
          expect(Object.entries(body.details as Record<string, string>).reduce((sum, [key, value]) => sum + key.length + value.length, 0)).toBeLessThanOrEqual(OPSGENIE_LIMITS.details);
          for (const tag of body.tags) expect(tag.length).toBeLessThanOrEqual(OPSGENIE_LIMITS.tag);
        } else expect(body.note.length).toBeLessThanOrEqual(OPSGENIE_LIMITS.note);
      }
    }
  });

  test("PagerDuty: summary, dedup_key and the whole event within limits", () => {
    for (const message of MESSAGES) {
      for (const request of pagerdutyRequests(message, route({ channel: "pagerduty", routingKey: "${env:ROUTING_KEY}" }))) {
        const event = JSON.parse(request.body);
        expect(event.payload.summary.length).toBeLessThanOrEqual(PAGERDUTY_LIMITS.summary);
        expect(event.dedup_key.length).toBeLessThanOrEqual(PAGERDUTY_LIMITS.dedupKey);
        expect(Buffer.byteLength(request.body)).toBeLessThanOrEqual(512 * 1024);
      }
    }
  });
});
