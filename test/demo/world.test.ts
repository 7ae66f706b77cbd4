import nodemailer from "nodemailer";
import pg from "pg";
import { afterEach, describe, expect, test } from "vitest";
import { manualClock } from "../../scripts/core/clock.ts";
import { EPISODES, httpBehaviour, vendorStatus } from "../../scripts/demo/behaviour.ts";
import { startWorld, type DemoWorld } from "../../scripts/demo/servers.ts";

const now = new Date("2026-11-20T12:00:00Z");
let world: DemoWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** The first time before `now` at which `predicate` holds, scanning back by cadence slots. */
function findTime(cadenceMinutes: number, predicate: (at: Date) => boolean): Date {
  for (let i = 1; i < 500; i++) {
    const at = new Date(now.getTime() - i * cadenceMinutes * 60_000);
    if (predicate(at)) return at;
  }
  throw new Error("no such time");
}

describe("the demo world", () => {
  test("endpoints answer as the behaviour model says for the clock's time", async () => {
    const clock = manualClock(now);
    world = await startWorld(clock, now);
    const base = world.env.APP_BASE_URL!;

    clock.set(findTime(1, (at) => httpBehaviour("stripe", at, now).health === "down"));
    expect((await fetch(`${base}/webhooks/stripe`)).status).toBe(502);
    clock.set(findTime(1, (at) => httpBehaviour("stripe", at, now).health === "up"));
    expect((await fetch(`${base}/webhooks/stripe`)).status).toBe(405);

    const order = await fetch(world.env.ORDER_SCENARIO_URL!, { method: "POST", body: JSON.stringify({ test: true }) });
    expect([200, 500]).toContain(order.status);

    clock.set(findTime(5, (at) => vendorStatus(at, now) === "major_outage"));
    const summary = (await (await fetch(world.env.PAYMENT_VENDOR_STATUS_URL!)).json()) as { components: { name: string; status: string }[]; incidents: { name: string }[] };
    expect(summary.components.find((c) => c.name === "Card payments")?.status).toBe("major_outage");
    expect(summary.incidents[0]?.name).toBe("Elevated card declines");
  });

  test("the PostgreSQL responder speaks enough of the protocol for the pg client, and refuses during its outage", async () => {
    const clock = manualClock(now);
    world = await startWorld(clock, now);
    const client = new pg.Client({ connectionString: world.env.DATABASE_URL });
    await client.connect();
    const result = await client.query("select 1");
    expect(result.rows).toEqual([{ "?column?": 1 }]);
    await client.end();

    const outage = EPISODES.find((episode) => episode.endpoint === "database")!;
    clock.set(new Date(now.getTime() - (outage.startsAgo - 1) * 60_000));
    const refused = new pg.Client({ connectionString: world.env.DATABASE_URL });
    await expect(refused.connect()).rejects.toThrow(/too many connections/);
  });

  test("the SMTP and HTTP sinks record what routes deliver", async () => {
    world = await startWorld(manualClock(now), now);
    const transport = nodemailer.createTransport({ host: "127.0.0.1", port: Number(world.env.SMTP_PORT), secure: false, ignoreTLS: true });
    await transport.sendMail({ from: "a@example.com", to: "b@example.com", subject: "SEV-2 - Printful API Slow Response", text: "STATUS: Investigating" });
    await fetch(world.env.DISCORD_WEBHOOK_URL!, { method: "POST", body: JSON.stringify({ content: "hello" }) });
    expect(world.delivered.map((entry) => entry.channel)).toEqual(["email", "discord"]);
    expect(world.delivered[0]!.body).toContain("STATUS: Investigating");
  });

  test("steady patterns line up with whole days, so a 24-hour window always holds the same mix", () => {
    const count = (cadence: number, slots: number, health: string, endpoint: "stripe" | "order" | "auth") => {
      let n = 0;
      for (let i = 0; i < slots; i++) if (httpBehaviour(endpoint, new Date(now.getTime() - i * cadence * 60_000), now).health === health) n++;
      return n;
    };
    expect([count(1, 1440, "down", "stripe"), count(1, 1440, "up", "stripe")]).toEqual([360, 216]);
    expect([count(5, 288, "down", "order"), count(5, 288, "up", "order")]).toEqual([72, 48]);
    expect(count(5, 288, "slow", "auth")).toBe(36);
  });
});
