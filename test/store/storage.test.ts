import { appendFile, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import type { LogEntry, Sample } from "../../scripts/core/schema/records.ts";
import { LOCK_DIR, withWorkspaceLock } from "../../scripts/store/lock.ts";
import { listDayFiles } from "../../scripts/store/ndjson.ts";
import { loadRollups, pruneRollups, readRollups, updateRollups, writeRollups } from "../../scripts/store/rollups.ts";
import { appendLog, pruneLog, readLog } from "../../scripts/store/runlog.ts";
import { appendSamples, pruneSamples, readSamples, toSecond } from "../../scripts/store/samples.ts";
import { tempDir } from "../helpers/workspace.ts";

const DAY = 86_400_000;
const HOUR = 3_600_000;
const T0 = Date.parse("2026-11-20T23:50:00Z");
const at = (offsetMs: number) => new Date(T0 + offsetMs).toISOString();

function sample(overrides: Partial<Sample> = {}): Sample {
  return { at: at(0), check: "api", region: "local", run: "run-1", state: "up", latencyMs: 120, status: 200, ...overrides };
}

const everything = (root: string) => readSamples(root, new Date(T0 - 400 * DAY), new Date(T0 + 400 * DAY));
const workspace = () => tempDir();

describe("samples: layout and round trip", () => {
  test("every field survives, times to the second, from every region, shard and day", async () => {
    const root = await workspace();
    const written: Sample[] = [
      sample({ at: at(1_234), conditions: [{ text: "[STATUS] == 200", ok: true }], certDaysLeft: 42 }),
      sample({ at: at(2_500), check: "db", state: "down", error: "connection refused", latencyMs: undefined, status: undefined }),
      sample({ at: at(3_000), check: "queue", metrics: { queueDepth: 7, payloadCount: 1_200 } }),
      sample({ at: at(20 * 60_000), run: "run-1" }), // after midnight: the next day's file
      sample({ at: at(500), region: "eu-west", run: "run-9", state: "degraded" }),
    ];
    await appendSamples(root, written.slice(0, 4));
    await appendSamples(root, written.slice(4), "shard-2");
    const { samples, warnings } = await everything(root);
    expect(warnings).toEqual([]);
    const expected = written.map(toSecond).sort((a, b) => a.at.localeCompare(b.at) || a.check.localeCompare(b.check));
    expect(samples).toEqual(expected);
    expect(samples[0]!.at).toBe("2026-11-20T23:50:00.000Z");
    expect((await listDayFiles(root, "checks/results")).map(({ file }) => file)).toEqual([
      "checks/results/eu-west.shard-2/2026-11-20.ndjson",
      "checks/results/local/2026-11-20.ndjson",
      "checks/results/local/2026-11-21.ndjson",
    ]);
  });

  test("one line per run, the run's time once, samples sorted by check, changing fields last", async () => {
    const root = await workspace();
    await appendSamples(root, [sample({ check: "b", at: at(4_000) }), sample({ check: "a", at: at(1_700) })]);
    await appendSamples(root, [sample({ check: "a", run: "run-2", at: at(300_000) })]);
    const lines = (await readFile(join(root, "checks/results/local/2026-11-20.ndjson"), "utf8")).trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0]!)).toEqual({
      run: "run-1",
      region: "local",
      at: "2026-11-20T23:50:01.000Z",
      samples: [
        { check: "a", state: "up", status: 200, latencyMs: 120 },
        { check: "b", state: "up", status: 200, latencyMs: 120, offsetS: 3 },
      ],
    });
    expect(Object.keys(JSON.parse(lines[0]!).samples[1]).slice(-2)).toEqual(["latencyMs", "offsetS"]);
  });

  test("a time window reads only what lies inside it", async () => {
    const root = await workspace();
    await appendSamples(root, [sample({ at: at(0) }), sample({ at: at(HOUR), run: "run-2" }), sample({ at: at(2 * HOUR), run: "run-3" })]);
    const { samples } = await readSamples(root, new Date(T0 + HOUR), new Date(T0 + 2 * HOUR));
    expect(samples.map((entry) => entry.run)).toEqual(["run-2"]);
  });

  test("no results folder reads as no samples", async () => {
    const root = await workspace();
    expect(await everything(root)).toEqual({ samples: [], warnings: [] });
  });
});

describe("samples: damaged files are never fatal", () => {
  const file = "checks/results/local/2026-11-20.ndjson";

  test("a run that crashed mid-append: the torn line is skipped and the next run's line stays readable", async () => {
    const root = await workspace();
    await appendSamples(root, [sample()]);
    const whole = await readFile(join(root, file), "utf8");
    await appendFile(join(root, file), whole.slice(0, 40)); // torn: no newline
    await appendSamples(root, [sample({ run: "run-3", at: at(600_000) })]);
    const { samples, warnings } = await everything(root);
    expect(samples.map((entry) => entry.run)).toEqual(["run-1", "run-3"]);
    expect(warnings).toEqual([
      { severity: "warning", file, line: 2, col: 1, path: [], message: "unreadable results line skipped: not valid JSON (a truncated write?)" },
    ]);
  });

  test("a line that is JSON but not a results line names the field", async () => {
    const root = await workspace();
    await appendSamples(root, [sample()]);
    await appendFile(join(root, file), `${JSON.stringify({ run: "x", region: "local", at: at(0), samples: [{ check: "api", state: "sideways" }] })}\n`);
    await appendSamples(root, [sample({ run: "run-3", at: at(60_000) })]);
    const { samples, warnings } = await everything(root);
    expect(samples).toHaveLength(2);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ file, line: 2 });
    expect(warnings[0]!.message).toMatch(/^unreadable results line skipped: samples\[0\]\.state: /);
  });
});

describe("retention", () => {
  test("samples and log files of days past retention are removed, newer ones stay", async () => {
    const root = await workspace();
    const days = [40, 31, 30, 1].map((ago) => new Date(T0 - ago * DAY).toISOString());
    await appendSamples(root, days.map((time, index) => sample({ at: time, run: `run-${index}` })));
    await appendLog(root, days.map((time) => ({ at: time, level: "info", service: "probe", message: "run", run: "r", context: {} }) satisfies LogEntry));
    const removed = await pruneSamples(root, new Date(T0 - 30 * DAY));
    expect(removed).toEqual(["checks/results/local/2026-10-11.ndjson", "checks/results/local/2026-10-20.ndjson"]);
    expect((await everything(root)).samples.map((entry) => entry.run)).toEqual(["run-2", "run-3"]);
    await pruneLog(root, new Date(T0 - 7 * DAY));
    expect((await readLog(root, new Date(T0 - 400 * DAY), new Date(T0 + DAY))).entries).toHaveLength(1);
  });

  test("rollups past retention are dropped, daily kept for 400 days", async () => {
    const root = await workspace();
    const entry = (start: number) => ({ start: new Date(start).toISOString(), count: 1, up: 1, degraded: 0, down: 0, error: 0, downtimeMinutes: 0 });
    const now = Date.parse("2026-11-20T00:00:00Z");
    await writeRollups(root, {
      check: "api",
      hourly: [entry(now - 36 * DAY), entry(now - 34 * DAY)],
      daily: [entry(now - 401 * DAY), entry(now - 399 * DAY), entry(now - DAY)],
    });
    expect(await pruneRollups(root, { hourly: 35 * DAY, daily: 400 * DAY }, new Date(now))).toEqual({ written: ["checks/rollups/api.json"] });
    const kept = await readRollups(root, "api");
    expect(kept.hourly.map((bucket) => bucket.start)).toEqual([entry(now - 34 * DAY).start]);
    expect(kept.daily.map((bucket) => bucket.start)).toEqual([entry(now - 399 * DAY).start, entry(now - DAY).start]);
    expect(await pruneRollups(root, { hourly: 35 * DAY, daily: 400 * DAY }, new Date(now))).toEqual({ written: [] });
  });
});

describe("rollups", () => {
  const retention = { hourly: 35 * DAY, daily: 400 * DAY };
  const cadences = new Map([["api", 300_000]]);
  const H = Date.parse("2026-11-20T10:00:00Z");
  const s = (minute: number, overrides: Partial<Sample> = {}) => sample({ at: new Date(H + minute * 60_000).toISOString(), run: `run-${minute}`, ...overrides });

  test("the buckets a run touches are recomputed from every retained sample of every region", async () => {
    const root = await workspace();
    const first = [s(0, { latencyMs: 100 }), s(5, { latencyMs: 300 }), s(5, { region: "eu", state: "down", latencyMs: 50 })];
    await appendSamples(root, first);
    await updateRollups(root, cadences, first, retention, new Date(H + HOUR));
    const later = [s(70, { latencyMs: 200, metrics: { queueDepth: 3 } })];
    await appendSamples(root, later);
    const { written, warnings } = await updateRollups(root, cadences, later, retention, new Date(H + 2 * HOUR));
    expect(written).toEqual(["checks/rollups/api.json"]);
    expect(warnings).toEqual([]);
    const { hourly, daily } = await readRollups(root, "api");
    expect(hourly).toEqual([
      { start: "2026-11-20T10:00:00.000Z", count: 3, up: 2, degraded: 0, down: 1, error: 0, downtimeMinutes: 2.5, p50: 100, p95: 300, p99: 300, max: 300 },
      { start: "2026-11-20T11:00:00.000Z", count: 1, up: 1, degraded: 0, down: 0, error: 0, downtimeMinutes: 0, p50: 200, p95: 200, p99: 200, max: 200, metrics: { queueDepth: 3 } },
    ]);
    expect(daily).toEqual([
      { start: "2026-11-20T00:00:00.000Z", count: 4, up: 3, degraded: 0, down: 1, error: 0, downtimeMinutes: 2.5, p50: 100, p95: 300, p99: 300, max: 300, metrics: { queueDepth: 3 } },
    ]);
  });

  test("updating twice with the same samples gives the same file", async () => {
    const root = await workspace();
    const batch = [s(0), s(5, { state: "down" })];
    await appendSamples(root, batch);
    await updateRollups(root, cadences, batch, retention, new Date(H + HOUR));
    const once = await readFile(join(root, "checks/rollups/api.json"), "utf8");
    await updateRollups(root, cadences, batch, retention, new Date(H + HOUR));
    expect(await readFile(join(root, "checks/rollups/api.json"), "utf8")).toBe(once);
    expect(once.split("\n").filter((line) => line.startsWith("  {"))).toHaveLength(2);
  });

  test("samples of unknown checks get no rollup file", async () => {
    const root = await workspace();
    const batch = [s(0, { check: "gone" })];
    await appendSamples(root, batch);
    expect((await updateRollups(root, cadences, batch, retention, new Date(H))).written).toEqual([]);
  });

  test("a damaged rollup file keeps every entry that still reads and says which lines it lost", async () => {
    const root = await workspace();
    const entry = (hour: number) => ({ start: new Date(H - hour * HOUR).toISOString(), count: 1, up: 1, degraded: 0, down: 0, error: 0, downtimeMinutes: 0 });
    await writeRollups(root, { check: "api", hourly: [entry(3), entry(2)], daily: [entry(48)] });
    const path = join(root, "checks/rollups/api.json");
    const lines = (await readFile(path, "utf8")).split("\n");
    lines[2] = lines[2]!.slice(0, 25); // first hourly entry torn
    await writeFile(path, lines.join("\n"));
    const { rollups, warnings } = await loadRollups(root, "api");
    expect(rollups.hourly).toEqual([entry(2)]);
    expect(rollups.daily).toEqual([entry(48)]);
    expect(warnings).toEqual([{ severity: "warning", file: "checks/rollups/api.json", line: 3, col: 1, path: [], message: "unreadable rollup entry skipped" }]);
    const batch = [s(0)];
    await appendSamples(root, batch);
    const update = await updateRollups(root, cadences, batch, retention, new Date(H + HOUR));
    expect(update.warnings).toHaveLength(1);
    expect((await readRollups(root, "api")).hourly.map((bucket) => bucket.start)).toEqual([entry(2).start, "2026-11-20T10:00:00.000Z"]);
  });
});

describe("run log", () => {
  test("entries round trip per writer; a torn line is skipped with its location", async () => {
    const root = await workspace();
    const entry = (message: string, offset: number): LogEntry => ({ at: at(offset), level: "info", service: "probe", message, run: "r1", context: { n: offset } });
    await appendLog(root, [entry("one", 0)], "local");
    await appendFile(join(root, "checks/logs/local/2026-11-20.ndjson"), '{"at":"2026-');
    await appendLog(root, [entry("two", 1_000)], "local");
    await appendLog(root, [entry("three", 500)], "eu-west");
    const { entries, warnings } = await readLog(root, new Date(T0 - DAY), new Date(T0 + DAY));
    expect(entries.map((item) => item.message)).toEqual(["one", "three", "two"]);
    expect(warnings).toMatchObject([{ file: "checks/logs/local/2026-11-20.ndjson", line: 2 }]);
  });
});

describe("workspace lock", () => {
  test("two writers take turns: their sections never overlap", async () => {
    const root = await workspace();
    const events: string[] = [];
    const section = (name: string) =>
      withWorkspaceLock(root, async () => {
        events.push(`${name} in`);
        await new Promise((resolve) => setTimeout(resolve, 50));
        events.push(`${name} out`);
      });
    await Promise.all([section("a"), section("b"), section("c")]);
    for (let index = 0; index < events.length; index += 2) {
      expect(events[index]!.split(" ")[0]).toBe(events[index + 1]!.split(" ")[0]);
    }
    expect(events).toHaveLength(6);
  });

  test("the lock is released when the work fails", async () => {
    const root = await workspace();
    await expect(withWorkspaceLock(root, async () => Promise.reject(new Error("disk full")))).rejects.toThrow("disk full");
    await expect(withWorkspaceLock(root, async () => "next")).resolves.toBe("next");
  });

  test("a lock taken away while writing fails the run instead of ending the process", async () => {
    const root = await workspace();
    const work = withWorkspaceLock(
      root,
      async () => {
        await rm(join(root, LOCK_DIR), { recursive: true });
        await new Promise((resolve) => setTimeout(resolve, 1_500));
      },
      2_000,
    );
    await expect(work).rejects.toThrow(/the workspace lock checks\/\.probe\.lock was lost while writing/);
    await expect(withWorkspaceLock(root, async () => "next")).resolves.toBe("next");
  });
});
