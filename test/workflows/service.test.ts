/**
 * Service mode (deploy.probing: service): the probe loop run by docs/service/signalroom-service.sh, as the
 * systemd unit and the container start it, against a status repository on the local git server (pushes
 * authenticated with GITHUB_TOKEN, as on GitHub). It clones, probes and publishes every cycle; SIGTERM
 * lets the current cycle finish; a crash mid-cycle (SIGKILL while a probe waits for its answer) and the
 * leftovers of a crash mid-write do not stop the next start, and nothing published before is lost.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { appendFile, readFile } from "node:fs/promises";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { git } from "../../scripts/gitops/git.ts";
import { PENDING_BRANCH } from "../../scripts/gitops/pending.ts";
import { REPO } from "../helpers/workspace.ts";
import { configure } from "./helpers.ts";
import { createWorld, type World } from "./world.ts";

let world: World;
let app: ReturnType<typeof createServer>;
/** While set, requests to the application wait here instead of being answered. */
let holding: ((response: ServerResponse) => void) | undefined;
const clone = () => join(world.dir, "service/repository");

beforeAll(async () => {
  app = createServer((request, response) => {
    if (holding) return holding(response);
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: "ok", ok: true }));
  });
  await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
  world = await createWorld({
    // A cycle a second, every check due in each, so the test sees many cycles quickly.
    prepare: (tree) => configure(tree, { "deploy.probing": "service", "probe.every": "1s", "defaults.cadence": "1s" }),
  });
}, 300_000);
afterAll(async () => {
  app?.closeAllConnections();
  app?.close();
  await world?.close();
});

interface Service {
  child: ChildProcess;
  output(): string;
  /** Resolves once the output has `count` lines matching `pattern`. */
  lines(pattern: RegExp, count: number): Promise<void>;
  exit: Promise<number | null>;
}

function startService(): Service {
  const env = {
    HOME: join(world.dir, "home"),
    PATH: `${world.toolcache}:${world.path}`,
    GITHUB_REPOSITORY: world.repository,
    GITHUB_TOKEN: world.mint({ [world.repository]: { contents: "write", issues: "write", actions: "write" } }),
    GITHUB_SERVER_URL: world.git.url,
    GITHUB_API_URL: world.api.apiUrl,
    SIGNALROOM_REGION: "office",
    SIGNALROOM_DIR: clone(),
    SIGNALROOM_FOR: "30m",
    APP_BASE_URL: `http://127.0.0.1:${(app.address() as AddressInfo).port}`,
  };
  const child = spawn("sh", [join(REPO, "docs/service/signalroom-service.sh")], { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  const waiting: { pattern: RegExp; count: number; resolve(): void }[] = [];
  const check = () => {
    for (const wait of [...waiting]) {
      if ((output.match(new RegExp(wait.pattern.source, "gm")) ?? []).length >= wait.count) {
        waiting.splice(waiting.indexOf(wait), 1);
        wait.resolve();
      }
    }
  };
  for (const stream of [child.stdout!, child.stderr!]) stream.on("data", (chunk) => ((output += chunk), check()));
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    child,
    output: () => output,
    exit,
    lines: (pattern, count) =>
      new Promise<void>((resolve, reject) => {
        waiting.push({ pattern, count, resolve });
        check();
        void exit.then(() => setImmediate(() => waiting.some((wait) => wait.pattern === pattern) && reject(new Error(`the service stopped before ${count} × ${pattern}:\n${output}`))));
      }),
  };
}

/** The run ids recorded on the origin, on main and waiting on the pending ref. */
async function recordedRuns(): Promise<Set<string>> {
  const runs = new Set<string>();
  for (const ref of ["main", PENDING_BRANCH]) {
    const files = (await git(world.bare, ["ls-tree", "-r", "--name-only", ref]).catch(() => "")).split("\n").filter((file) => /^(checks\/results\/.*\.ndjson|runs\/.*\.json)$/.test(file));
    for (const file of files) for (const match of (await git(world.bare, ["show", `${ref}:${file}`])).matchAll(/"run":"([^"]+)"/g)) runs.add(match[1]!);
  }
  return runs;
}

describe("service mode: the probe loop as a long-running service", () => {
  test("it clones, probes and publishes every cycle; SIGTERM finishes the cycle and stops; a crash mid-cycle or mid-write does not stop the next start", async () => {
    const first = startService();
    await first.lines(/^Published: /, 3);
    expect(first.output()).toMatch(/^Run \S+ \(office\): probed \d+ due checks/m);
    // The first cycle changed states: committed at once, and site.yml started.
    expect(world.api.dispatches[0]).toEqual({ workflow: "site.yml", ref: "main" });
    process.kill(-first.child.pid!, "SIGTERM");
    expect(await first.exit).toBe(0);
    expect(first.output()).toMatch(/^SIGTERM: finishing the current cycle, then stopping\.$/m);
    expect(first.output()).toMatch(/^Stopped after \d+ cycles?\.$/m);
    const afterStop = await recordedRuns();
    expect(afterStop.size).toBeGreaterThanOrEqual(3);

    // A crash in the middle of writing leaves the tree dirty; the next start must not be stuck on it.
    await appendFile(join(clone(), "checks/state.json"), "half-written");
    const second = startService();
    await second.lines(/^Published: /, 1);
    // Now crash while a probe waits for its answer.
    const asked = new Promise<void>((resolve) => {
      holding = () => resolve();
    });
    await asked;
    process.kill(-second.child.pid!, "SIGKILL");
    await second.exit;
    holding = undefined;
    const beforeCrash = await recordedRuns();

    const third = startService();
    await third.lines(/^Published: /, 2);
    process.kill(-third.child.pid!, "SIGTERM");
    expect(await third.exit).toBe(0);
    const after = await recordedRuns();
    // Nothing published before a stop or a crash is lost, and the service went on publishing after it.
    expect([...afterStop, ...beforeCrash].filter((run) => !after.has(run))).toEqual([]);
    expect(after.size).toBeGreaterThan(beforeCrash.size);
    // Every recorded sample is there once.
    const lines = (await git(world.bare, ["ls-tree", "-r", "--name-only", "main", "checks/results/"])).split("\n").filter(Boolean);
    const samples = (await Promise.all(lines.map((file) => git(world.bare, ["show", `main:${file}`])))).join("").split("\n").filter(Boolean);
    expect(new Set(samples).size).toBe(samples.length);
  }, 300_000);
});

describe("the systemd unit and the container recipe", () => {
  test("both start the service script, restart it, and give SIGTERM time to finish a cycle", async () => {
    const unit = await readFile(join(REPO, "docs/service/signalroom-probe.service"), "utf8");
    expect(unit).toMatch(/^ExecStart=\/usr\/local\/bin\/signalroom-service$/m);
    expect(unit).toMatch(/^Restart=always$/m);
    expect(unit).toMatch(/^KillSignal=SIGTERM$/m);
    expect(Number(/^TimeoutStopSec=(\d+)$/m.exec(unit)?.[1])).toBeGreaterThanOrEqual(240 + 30);
    expect(unit).toMatch(/^EnvironmentFile=\/etc\/signalroom\/env$/m);
    const recipe = await readFile(join(REPO, "docs/service/Containerfile"), "utf8");
    expect(recipe).toMatch(/^FROM node:22-/m);
    expect(recipe).toMatch(/^COPY --chmod=755 docs\/service\/signalroom-service\.sh \/usr\/local\/bin\/signalroom-service$/m);
    expect(recipe).toMatch(/^ENTRYPOINT \["\/usr\/local\/bin\/signalroom-service"\]$/m);
    expect(recipe).toMatch(/--stop-timeout 300/);
  });
});
