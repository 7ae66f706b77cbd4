/**
 * The canary test: secrets planted in every place configuration can hold them (credential and plain
 * headers, a URL's path, query and password, a JSON body, a notification route's address, headers and
 * signing key) go through the real CLI as `npm run` starts it — probe runs that push to a local bare
 * remote, the operations room build, validate — against loopback targets that echo them back in every
 * encoding, cut them, redirect to another origin, fail, hang and refuse, and a notification sink that
 * rejects with an echo. Then no form of any canary may be found in any file, in any object of the remote's
 * or the job's git history (every commit, tree and blob, every branch), in any output, or at the other
 * origin.
 */
import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import type { IncomingMessage } from "node:http";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, test } from "vitest";
import { stringify } from "yaml";
import { git } from "../../scripts/gitops/git.ts";
import { canary, leaksIn } from "../helpers/canary.ts";
import { spawnCli } from "../helpers/cli.ts";
import { originFrom } from "../helpers/git.ts";
import { startRecorder } from "../helpers/recorder.ts";
import { closedPort, serveHttp, serveSilence } from "../helpers/servers.ts";
import { put, tempDir } from "../helpers/workspace.ts";

const run = promisify(execFile);

function bodyOf(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = "";
    request.on("data", (chunk) => (text += chunk));
    request.on("end", () => resolve(text));
  });
}

/** Every object git holds (commits, trees, blobs of every branch and of nothing), uncompressed. */
async function allObjects(gitDir: string): Promise<Buffer> {
  const { stdout } = await run("git", ["--git-dir", gitDir, "cat-file", "--batch-all-objects", "--batch"], { encoding: "buffer", maxBuffer: 512 * 1024 * 1024 });
  return stdout;
}

async function filesUnder(dir: string, skip: RegExp): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isFile() && !skip.test(path)) files.set(path, await readFile(path));
  }
  return files;
}

const html = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

describe("canaries never leave the probe", () => {
  test("in no file, no commit of the remote, no output and at no other origin", { timeout: 300_000 }, async () => {
    const secrets = {
      API_TOKEN: canary("At"),
      CLIENT_REF: canary("Cr"),
      HOOK_PATH: canary("Hp"),
      QUERY_REF: canary("Qr"),
      DB_PASSWORD: canary("Db"),
      BODY_SECRET: canary("Bs"),
      HOOK_TOKEN: canary("Ht"),
      HOOK_SECRET: canary("Hs"),
    };
    const all = Object.values(secrets);

    // The other origin: it must never see a secret.
    const elsewhere: string[] = [];
    const other = await serveHttp(async (request, response) => {
      elsewhere.push(JSON.stringify({ url: request.url, headers: request.headers, body: await bodyOf(request) }));
      response.writeHead(200).end("landed");
    });
    // The target: tells back everything it was sent, in every encoding, cut, redirected or not as JSON.
    const echo = await serveHttp(async (request, response) => {
      const told = JSON.stringify({ url: request.url, headers: request.headers, body: await bodyOf(request) });
      const path = request.url ?? "/";
      const answer = (status: number, body: string | Buffer, headers: Record<string, string> = {}) =>
        response.writeHead(status, { "x-echo": encodeURIComponent(told).slice(0, 4000), ...headers }).end(body);
      const mode = /^\/(\w+)(?:-(\d))?/.exec(path);
      const offset = Buffer.alloc(Number(mode?.[2] ?? 0), 0x20);
      switch (mode?.[1]) {
        case "plain":
          return answer(500, told);
        case "lower":
          return answer(500, told.toLowerCase());
        case "upper":
          return answer(500, told.toUpperCase());
        case "base64":
          return answer(500, Buffer.concat([offset, Buffer.from(told)]).toString("base64"));
        case "base64url":
          return answer(500, Buffer.concat([offset, Buffer.from(told)]).toString("base64url"));
        case "html":
          return answer(500, `<pre>${html(told)}</pre>`);
        case "percent":
          return answer(500, encodeURIComponent(told));
        case "cut":
          // The reference straddles the 120-character cut of a condition's `actual`.
          return answer(500, `${"x".repeat(110)}${String(request.headers["x-client-ref"])}`);
        case "notjson":
          return answer(200, String(request.headers["x-client-ref"]), { "content-type": "application/json" });
        case "hop":
          return answer(302, "", { location: `/plain?token=${encodeURIComponent(String(request.headers.authorization).slice(7))}` });
        case "away":
          return answer(302, "", { location: `${other.url}/landing` });
        case "postaway":
          return answer(307, "", { location: `${other.url}/landing` });
        default:
          return answer(404, told);
      }
    });
    const hang = await serveSilence();
    const refused = await closedPort();
    // The notification sink refuses with an echo; the channel quotes its first 200 characters, which cut the
    // route's token after its first 12.
    const sink = await startRecorder("127.0.0.1", (request) => {
      const before = `{"error":"rejected","pad":"","path":"${request.path.slice(0, request.path.indexOf(encodeURIComponent(secrets.HOOK_TOKEN)))}`;
      const pad = "p".repeat(200 - 12 - before.length);
      sink.replyNext(1, { status: 400, body: JSON.stringify({ error: "rejected", pad, path: request.path, headers: request.headers }) });
    });

    const headers = { Authorization: "Bearer ${env:API_TOKEN}", "X-Client-Ref": "${env:CLIENT_REF}" };
    const failing = ["[BODY] == nothing-like-this", "[HEADER].x-echo == nothing-like-this"];
    // A generous timeout, so outcomes do not depend on the machine's speed (the hanging targets set their own);
    // it is longer than the cadence, which validate only warns about.
    const check = (id: string, fields: Record<string, unknown>) => ({ id, cadence: "1s", timeout: "30s", retries: 0, failureThreshold: 1, recoveryThreshold: 1, ...fields });
    const echoCheck = (mode: string) => check(`echo-${mode}`, { type: "http", url: `${echo.url}/${mode}/\${env:HOOK_PATH}?ref=\${env:QUERY_REF}`, headers, conditions: failing });
    const checks = [
      ...["plain", "lower", "upper", "base64-0", "base64-1", "base64-2", "base64url-1", "html", "percent", "cut"].map(echoCheck),
      check("echo-notjson", { type: "json", url: `${echo.url}/notjson`, headers, metrics: { depth: "queue.depth" } }),
      check("echo-hop", { type: "http", url: `${echo.url}/hop`, headers, conditions: failing }),
      check("redirect-away", { type: "http", url: `${echo.url}/away`, headers }),
      check("redirect-post-away", { type: "http", method: "POST", url: `${echo.url}/postaway`, headers, json: { key: "${env:BODY_SECRET}", note: "probe" } }),
      check("password", { type: "http", url: `http://probe:\${env:DB_PASSWORD}@127.0.0.1:${echo.port}/plain`, conditions: failing }),
      check("hang", { type: "http", url: `${hang.url}/\${env:HOOK_PATH}`, headers, timeout: "300ms" }),
      check("vendor-hang", { type: "statuspage", url: `${hang.url}/\${env:HOOK_PATH}/api/v2/summary.json`, timeout: "300ms" }),
      check("refused", { type: "http", url: `http://probe:\${env:DB_PASSWORD}@127.0.0.1:${refused}/?token=\${env:API_TOKEN}`, headers }),
      check("database", { type: "postgres", url: `postgres://probe:\${env:DB_PASSWORD}@127.0.0.1:${refused}/postgres` }),
    ];

    const source = await tempDir();
    await put(
      source,
      "checks/signalroom.yaml",
      stringify({
        page: { title: "Canary status" },
        lanes: [{ id: "api" }],
        routes: [{ id: "hook", channel: "webhook", url: "${env:HOOK_URL}", secret: "${env:HOOK_SECRET}", headers: { Authorization: "Bearer ${env:API_TOKEN}" } }],
        severityRoutes: { critical: ["hook"] },
      }),
    );
    await put(
      source,
      "checks/providers/canary.yaml",
      stringify({ id: "canary", name: "Canary", lane: "api", owner: "Security", kind: "api", readiness: "live", consumer: "Everyone", recovery: "Rotate the secrets", evidence: { note: "Planted secrets." }, checks }),
    );
    await put(source, "checks/alert-rules.yaml", stringify({ rules: [{ id: "canary-down", description: "A canary check is down.", severity: "critical", providers: ["canary"], condition: { type: "state", state: "down", for: 1 } }] }));
    const origin = await originFrom(source, { incidents: false });
    const job = await origin.clone("job");
    const env = { ...secrets, DB_PASSWORD: encodeURIComponent(secrets.DB_PASSWORD), HOOK_URL: `${sink.url}/hooks/${encodeURIComponent(secrets.HOOK_TOKEN)}/in` };

    const outputs: string[] = [];
    const cli = async (verb: string, args: string[]) => {
      const child = spawnCli(verb, ["--root", job, ...args], env);
      const code = await child.done;
      const { stdout, stderr } = child.output();
      outputs.push(`$ ${verb} ${args.join(" ")} → ${code}\n${stdout}\n${stderr}`);
      return code;
    };
    expect(await cli("probe", ["--push"])).toBe(0);
    // A second run probes and records again, on top of the first.
    expect(await cli("probe", ["--push"])).toBe(0);
    const dist = await tempDir();
    expect(await cli("build", ["--only", "internal", "--out", dist])).toBe(0);
    await cli("validate", []);

    // The secrets really went where they were configured to go, and the failures really happened.
    expect(echo.requests.some((request) => request.headers.authorization === `Bearer ${secrets.API_TOKEN}`)).toBe(true);
    expect(echo.requests.some((request) => request.headers["x-client-ref"] === secrets.CLIENT_REF)).toBe(true);
    expect(echo.requests.some((request) => request.url.includes(encodeURIComponent(secrets.HOOK_PATH).slice(0, 14)))).toBe(true);
    expect(sink.requests.length).toBeGreaterThanOrEqual(1);
    expect(sink.requests[0]!.path).toBe(`/hooks/${encodeURIComponent(secrets.HOOK_TOKEN)}/in`);
    expect(elsewhere.length).toBeGreaterThan(0);
    const state = await readFile(join(job, "checks/state.json"), "utf8");
    expect(state).toContain("[redacted]");
    expect(JSON.parse(state).outbox.some((entry: { lastError?: string }) => entry.lastError?.includes("answered 400"))).toBe(true);
    expect(JSON.parse(state).checks["vendor-hang"]).toMatchObject({ lastState: "error", lastError: "timed out after 300ms" });
    expect(JSON.parse(state).checks["redirect-post-away"].lastError).toMatch(/^not following the redirect to http:\/\/127\.0\.0\.1:\d+\/landing: it would send the request body, which carries a secret, to another origin$/);
    expect(await git(origin.bare, ["rev-list", "--all", "--count"])).not.toBe("1\n");

    const leaks: string[] = [];
    const search = (where: string, content: Buffer | string) => leaks.push(...leaksIn(content, all).map((leak) => `${where}: ${leak}`));
    for (const [file, bytes] of await filesUnder(job, /\/\.git\//)) search(file, bytes);
    const room = await filesUnder(dist, /^$/);
    expect([...room.keys()].some((file) => file.endsWith("index.html"))).toBe(true);
    for (const [file, bytes] of room) search(file, bytes);
    search("the remote's git objects", await allObjects(origin.bare));
    search("the job's git objects", await allObjects(join(job, ".git")));
    for (const output of outputs) search(`output of ${output.split("\n")[0]}`, output);
    for (const request of elsewhere) search("the other origin", request);
    expect(leaks).toEqual([]);
  });
});
