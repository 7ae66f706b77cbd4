import { randomBytes } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { createRedactor, REDACTED } from "../../scripts/core/redaction.ts";
import { resolveEnv } from "../../scripts/core/secrets.ts";
import { appendLog } from "../../scripts/store/runlog.ts";
import { appendSamples } from "../../scripts/store/samples.ts";
import { makeCheck, run } from "../helpers/probe.ts";
import { closedPort, serveHttp } from "../helpers/servers.ts";
import { tempDir } from "../helpers/workspace.ts";

async function everyFile(dir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) files.set(join(entry.parentPath, entry.name), await readFile(join(entry.parentPath, entry.name)));
  }
  return files;
}

describe("secrets never reach what a run writes", () => {
  test("a canary in a header, a URL's user:password@ and a query string, through failing and passing checks", async () => {
    const canary = `Canary${randomBytes(6).toString("hex")}`;
    // A server that tells everything back: headers and URL in the body and in a header, and redirects
    // that carry the secret further.
    const echo = await serveHttp((request, response) => {
      const told = JSON.stringify({ url: request.url, headers: request.headers });
      if (request.url?.startsWith("/hop")) {
        response.writeHead(302, { location: `/landed?token=${canary}&note=${canary}` }).end();
        return;
      }
      const failing = request.url?.includes("fail");
      response.writeHead(failing ? 500 : 200, { "content-type": "application/json", "x-echo": told.slice(0, 200) }).end(told);
    });
    const port = echo.port;
    const refused = await closedPort();
    const env = { API_TOKEN: canary, HOOK_PATH: canary, DB_PASSWORD: canary, BASE: `http://ops:${canary}@127.0.0.1:${port}` };
    const everyCondition = ["[BODY] == pat(*nothing-like-this*)", "[HEADER].x-echo == nope", "[BODY].headers.authorization == x"];
    const checks = [
      makeCheck({ id: "header-ok", type: "http", url: `${echo.url}/ok`, headers: { Authorization: "Bearer ${env:API_TOKEN}" } }),
      makeCheck({ id: "header-fail", type: "http", url: `${echo.url}/fail`, headers: { Authorization: "Bearer ${env:API_TOKEN}" }, conditions: everyCondition }),
      makeCheck({ id: "userinfo-ok", type: "http", url: `http://ops:${canary}@127.0.0.1:${port}/ok` }),
      makeCheck({ id: "userinfo-fail", type: "http", url: "${env:BASE}/fail", conditions: everyCondition }),
      makeCheck({ id: "query-ok", type: "json", url: `${echo.url}/ok?api_key=${canary}&page=1`, metrics: { port: "headers.host" } }),
      makeCheck({ id: "query-fail", type: "http", url: `${echo.url}/fail?token=${canary}`, conditions: everyCondition }),
      makeCheck({ id: "redirected", type: "http", url: `${echo.url}/hop`, conditions: everyCondition }),
      makeCheck({ id: "path-secret", type: "http", url: "${env:BASE}/hooks/${env:HOOK_PATH}/fail", conditions: everyCondition }),
      makeCheck({ id: "refused", type: "http", url: `http://ops:${canary}@127.0.0.1:${refused}/?token=${canary}` }),
      makeCheck({ id: "database", type: "postgres", url: `postgres://probe:\${env:DB_PASSWORD}@127.0.0.1:${refused}/postgres` }),
      makeCheck({ id: "not-a-url", type: "http", url: `http://[${canary}` }),
    ];
    const { samples, log } = await run(checks, { env });

    // The checks really did fail and pass, and the secrets really did travel to the server.
    expect(Object.fromEntries(samples.map((sample) => [sample.check, sample.state]))).toEqual({
      "header-ok": "up",
      "header-fail": "down",
      "userinfo-ok": "up",
      "userinfo-fail": "down",
      "query-ok": "down",
      "query-fail": "down",
      redirected: "down",
      "path-secret": "down",
      refused: "down",
      database: "down",
      "not-a-url": "error",
    });
    expect(echo.requests.some((request) => request.headers.authorization === `Bearer ${canary}`)).toBe(true);
    expect(echo.requests.some((request) => request.url.includes(canary))).toBe(true);
    expect(samples.find((sample) => sample.check === "header-fail")!.conditions!.some((c) => c.actual?.includes(REDACTED))).toBe(true);

    const root = await tempDir();
    await appendSamples(root, samples);
    await appendLog(root, log);
    const forms = [canary, encodeURIComponent(canary), Buffer.from(canary).toString("base64").replace(/=+$/, ""), Buffer.from(`ops:${canary}`).toString("base64").replace(/=+$/, "")];
    const files = await everyFile(root);
    expect(files.size).toBeGreaterThanOrEqual(2);
    for (const [file, bytes] of files) {
      for (const form of forms) expect(bytes.includes(form), `${file} contains ${form}`).toBe(false);
    }
  });
});

describe("redaction", () => {
  test("known secrets in plain, URL-encoded and base64 form, and patterns for credentials nobody declared", () => {
    const redact = createRedactor(["s3cr3t/value", "ab"]);
    expect(redact("got s3cr3t/value and s3cr3t%2Fvalue and czNjcjN0L3ZhbHVl")).toBe(`got ${REDACTED} and ${REDACTED} and ${REDACTED}`);
    expect(redact("ab stays: too short to redact safely")).toBe("ab stays: too short to redact safely");
    expect(redact("see https://user:pw@example.com/x and postgres://u:p@db:5432/app")).toBe(`see https://${REDACTED}@example.com/x and postgres://${REDACTED}@db:5432/app`);
    expect(redact("GET /cb?code=abc123&state=ok&X-Amz-Signature=f00&access_token=t0k")).toBe(`GET /cb?code=${REDACTED}&state=ok&X-Amz-Signature=${REDACTED}&access_token=${REDACTED}`);
    expect(redact("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload")).toBe(`Authorization: Bearer ${REDACTED}`);
  });

  test("placeholders resolve from the environment; missing ones are named, conditions are left as written", () => {
    const resolved = resolveEnv(
      { url: "${env:BASE}/x", headers: { auth: "${env:TOKEN}" }, conditions: ["[BODY] == ${env:TOKEN}"], port: 5432 },
      { BASE: "http://127.0.0.1:1" },
      new Set(["conditions"]),
    );
    expect(resolved).toEqual({
      value: { url: "http://127.0.0.1:1/x", headers: { auth: "${env:TOKEN}" }, conditions: ["[BODY] == ${env:TOKEN}"], port: 5432 },
      secrets: ["http://127.0.0.1:1"],
      missing: ["TOKEN"],
    });
  });
});
