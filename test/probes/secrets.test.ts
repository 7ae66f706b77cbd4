import { randomBytes } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { createRedactor, MIN_SECRET_LENGTH, REDACTED } from "../../scripts/core/redaction.ts";
import { resolveEnv } from "../../scripts/core/secrets.ts";
import { appendLog } from "../../scripts/store/runlog.ts";
import { appendSamples } from "../../scripts/store/samples.ts";
import { check as checkSchema, route as routeSchema } from "../../scripts/schemas.ts";
import { canary, formsOf, leaksIn } from "../helpers/canary.ts";
import { makeCheck, probeOne, run } from "../helpers/probe.ts";
import { closedPort, serveHttp } from "../helpers/servers.ts";
import { tempDir } from "../helpers/workspace.ts";

async function everyFile(dir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) files.set(join(entry.parentPath, entry.name), await readFile(join(entry.parentPath, entry.name)));
  }
  return files;
}

/** Reads a request body to the end. */
function bodyOf(request: import("node:http").IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = "";
    request.on("data", (chunk) => (text += chunk));
    request.on("end", () => resolve(text));
  });
}

describe("the redactor follows the secret through every encoding", () => {
  const secret = canary("Cx");
  const redact = createRedactor([secret]);

  test.each([...formsOf(secret)].filter(([, name]) => !name.includes("characters")))("%s (%s) inside other text", (form) => {
    const redacted = redact(`before ${form} after`);
    expect(redacted).toContain(REDACTED);
    expect(leaksIn(redacted, [secret])).toEqual([]);
    expect(redacted.startsWith("before ")).toBe(true);
  });

  test("base64 of the secret inside a longer encoded text, at every byte alignment and in both alphabets", () => {
    for (let before = 0; before < 6; before++) {
      for (const alphabet of ["base64", "base64url"] as const) {
        const encoded = Buffer.concat([randomBytes(before), Buffer.from(secret), randomBytes(3)]).toString(alphabet);
        expect(leaksIn(redact(`token: ${encoded}`), [secret]), `${before} bytes before, ${alphabet}`).toEqual([]);
      }
    }
  });

  test("a piece a cut left: at an ellipsis, a V8 excerpt, the end of a text, after a cut", () => {
    expect(redact(`Unexpected token 'C', "${secret.slice(0, 10)}"... is not valid JSON`)).toBe(`Unexpected token 'C', "${REDACTED}"... is not valid JSON`);
    expect(redact(`got ${secret.slice(0, 14)}… (cut)`)).toBe(`got ${REDACTED}… (cut)`);
    expect(redact(`answered 400: {"echo":"${secret.slice(0, 9)}`)).toBe(`answered 400: {"echo":"${REDACTED}`);
    expect(redact(`…${secret.slice(-9)} and the rest`)).toBe(`…${REDACTED} and the rest`);
    // A piece elsewhere in a text is not a secret's trace, and ordinary words stay.
    expect(redact(`${secret.slice(0, 4)} plain words`)).toBe(`${secret.slice(0, 4)} plain words`);
  });

  test("case-folded echoes, percent-encoding as URL parsers write it, and JSON inside HTML", () => {
    const url = new URL(`http://127.0.0.1/hooks/${secret}?ref=${secret}`);
    expect(redact(url.href)).toBe(`http://127.0.0.1/hooks/${REDACTED}?ref=${REDACTED}`);
    expect(redact(JSON.stringify({ echo: secret.toLowerCase() }))).toBe(`{"echo":"${REDACTED}"}`);
    expect(redact(`<pre>${JSON.stringify(secret).replace(/"/g, "&quot;")}</pre>`)).toBe(`<pre>&quot;${REDACTED}&quot;</pre>`);
  });

  test("encodings nested as they are met: a URL in JSON in HTML, double percent-encoding, non-ASCII and astral characters", () => {
    const wide = `Wx${randomBytes(4).toString("hex")}é😀'|`;
    const wider = createRedactor([wide]);
    const nested = `<td>${JSON.stringify({ next: `/cb?state=${encodeURIComponent(wide)}` }).replace(/"/g, "&quot;")}</td>`;
    expect(wider(nested)).toBe(`<td>{&quot;next&quot;:&quot;/cb?state=${REDACTED}&quot;}</td>`);
    expect(wider(`a=${encodeURIComponent(encodeURIComponent(wide))}`)).toBe(`a=${REDACTED}`);
    const escaped = JSON.stringify(wide).replace(/[^\x20-\x7e]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, "0")}`);
    expect(escaped).toMatch(/\\ud83d\\ude00/);
    expect(wider(escaped)).toBe(`"${REDACTED}"`);
    expect(wider(`&#x${wide.codePointAt(0)!.toString(16)};${wide.slice(1).replace("😀", "&#128512;")}`)).toBe(REDACTED);
    // Text around the secret keeps its own encoding, byte for byte.
    expect(wider(`%41 &amp; \\n ${wide} %zz &bogus;`)).toBe(`%41 &amp; \\n ${REDACTED} %zz &bogus;`);
  });

  test(`secrets shorter than ${MIN_SECRET_LENGTH} characters are not redacted; ordinary text is left alone`, () => {
    const short = createRedactor(["abc1234"]);
    expect(short("abc1234 stays: too short to be redacted safely")).toBe("abc1234 stays: too short to be redacted safely");
    expect(redact("connection refused by 127.0.0.1:5432 (checked 3 times)")).toBe("connection refused by 127.0.0.1:5432 (checked 3 times)");
  });

  test("patterns catch credentials nobody declared", () => {
    const none = createRedactor([]);
    expect(none("see https://user:pw@example.com/x and postgres://u:p@db:5432/app")).toBe(`see https://${REDACTED}@example.com/x and postgres://${REDACTED}@db:5432/app`);
    expect(none("GET /cb?code=abc123&state=ok&X-Amz-Signature=f00&access_token=t0k")).toBe(`GET /cb?code=${REDACTED}&state=ok&X-Amz-Signature=${REDACTED}&access_token=${REDACTED}`);
    expect(none("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload")).toBe(`Authorization: Bearer ${REDACTED}`);
  });
});

describe("the resolver", () => {
  test("placeholders resolve from the environment; missing ones are named, skipped fields are left as written", () => {
    const resolved = resolveEnv(
      { url: "${env:BASE}/x", headers: { auth: "${env:TOKEN}" }, conditions: ["[BODY] == ${env:TOKEN}"], port: 5432 },
      { BASE: "http://127.0.0.1:1" },
      { skip: new Set(["conditions"]) },
    );
    expect(resolved).toEqual({
      value: { url: "http://127.0.0.1:1/x", headers: { auth: "${env:TOKEN}" }, conditions: ["[BODY] == ${env:TOKEN}"], port: 5432 },
      secrets: ["http://127.0.0.1:1"],
      missing: ["TOKEN"],
      weak: [],
    });
  });

  test(`a value shorter than ${MIN_SECRET_LENGTH} characters in a secret's place is refused; elsewhere it is a plain value`, () => {
    const env = { SHORT: "abc1234", PORT: "5432", LONG: "long-enough-1" };
    const weak = (value: unknown, secretKeys: string[] = []) => resolveEnv(value, env, { secretKeys: new Set(secretKeys) }).weak;
    expect(weak({ headers: { Authorization: "Bearer ${env:SHORT}", "X-Team": "${env:PORT}" } })).toEqual(["SHORT"]);
    expect(weak({ url: "https://probe:${env:SHORT}@127.0.0.1/" })).toEqual(["SHORT"]);
    expect(weak({ url: "https://127.0.0.1/?page=${env:PORT}&api_key=${env:SHORT}" })).toEqual(["SHORT"]);
    expect(weak({ routingKey: "${env:SHORT}" }, ["routingKey"])).toEqual(["SHORT"]);
    expect(weak({ host: "127.0.0.1", port: "${env:PORT}", routingKey: "${env:LONG}" }, ["routingKey"])).toEqual([]);
  });

  test("a probe with a short secret sends nothing and says why", async () => {
    const target = await serveHttp((_, response) => response.writeHead(200).end());
    const sample = await probeOne({ type: "http", url: `${target.url}/`, headers: { Authorization: "Bearer ${env:TOKEN}" } }, { env: { TOKEN: "abc1234" } });
    expect(sample).toMatchObject({ state: "error", error: expect.stringMatching(/^the environment variable TOKEN holds a secret shorter than 8 characters; nothing was sent/) });
    expect(target.requests).toEqual([]);
  });
});

describe("secret-bearing fields take only placeholders", () => {
  const checkProblem = (input: Record<string, unknown>) => checkSchema.safeParse({ id: "x", ...input }).error?.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
  const routeProblem = (input: Record<string, unknown>) => routeSchema.safeParse({ id: "r", ...input }).error?.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);

  test("credential headers, URL passwords and secret query values of a check", () => {
    expect(checkProblem({ type: "http", url: "https://example.com/", headers: { Authorization: "Bearer abcdefgh12345678" } })).toEqual([
      "headers.Authorization: is a credential header, so its value must be an ${env:NAME} placeholder, optionally after a scheme such as Bearer (cookies: name=${env:NAME})",
    ]);
    expect(checkProblem({ type: "http", url: "https://example.com/", headers: { Authorization: "Bearer ${env:TOKEN}", Cookie: "sid=${env:SID}; csrf=${env:CSRF}", "X-Team": "ops" } })).toBeUndefined();
    expect(checkProblem({ type: "http", url: "https://example.com/", headers: { Cookie: "sid=abcdef0123456789" } })).toHaveLength(1);
    expect(checkProblem({ type: "postgres", url: "postgres://probe:hunter2hunter2@db/app" })).toEqual([
      "url: has a password in it: write it as an ${env:NAME} placeholder (e.g. https://user:${env:PASSWORD}@host)",
    ]);
    expect(checkProblem({ type: "json", url: "https://example.com/stats?api_key=abc&page=2", metrics: { depth: "queue.depth" } })).toEqual(["url: has a secret in its query (api_key=…): write the value as an ${env:NAME} placeholder"]);
    expect(checkProblem({ type: "json", url: "https://example.com/stats?api_key=${env:KEY}&page=2", metrics: { depth: "queue.depth" } })).toBeUndefined();
  });

  test("tokens, routing keys, passwords and webhook addresses of a route", () => {
    expect(routeProblem({ channel: "pagerduty", routingKey: "R0UTINGKEY0123456789" })).toEqual([
      "routingKey: holds a secret, so it must be an ${env:NAME} placeholder (secrets never live in the repository)",
    ]);
    expect(routeProblem({ channel: "slack", webhookUrl: "https://hooks.slack.example/services/T0/B0/XXXX" })).toHaveLength(1);
    expect(routeProblem({ channel: "telegram", botToken: "${env:TELEGRAM_BOT_TOKEN}", chatId: "-100" })).toBeUndefined();
    expect(routeProblem({ channel: "webhook", url: "${env:HOOK_URL}", secret: "s3cret-literal" })).toHaveLength(1);
  });
});

describe("secrets are not carried to another origin", () => {
  test("a redirect to another origin drops every header that carries a secret and keeps the others", async () => {
    const secret = canary("Hx");
    const other = await serveHttp((_, response) => response.writeHead(200).end());
    const first = await serveHttp((_, response) => response.writeHead(302, { location: `${other.url}/landing` }).end());
    const sample = await probeOne(
      { type: "http", url: `${first.url}/`, headers: { Authorization: "Bearer ${env:TOKEN}", "X-Client-Ref": "client ${env:REF}", "X-Team": "ops" } },
      { env: { TOKEN: canary("Tx"), REF: secret } },
    );
    expect(sample.state).toBe("up");
    expect(first.requests[0]!.headers["x-client-ref"]).toBe(`client ${secret}`);
    expect(other.requests[0]!.headers).toMatchObject({ "x-team": "ops" });
    expect(other.requests[0]!.headers.authorization).toBeUndefined();
    expect(other.requests[0]!.headers["x-client-ref"]).toBeUndefined();
  });

  test("a 307 to another origin that would resend a body with a secret is not followed; on the same origin it is", async () => {
    const secret = canary("Bx");
    const received: string[] = [];
    const other = await serveHttp(async (request, response) => {
      received.push(await bodyOf(request));
      response.writeHead(200).end();
    });
    const first = await serveHttp(async (request, response) => {
      const body = await bodyOf(request);
      if (request.url === "/moved") response.writeHead(307, { location: `${other.url}/elsewhere` }).end();
      else if (request.url === "/here") response.writeHead(307, { location: "/landed" }).end();
      else response.writeHead(JSON.parse(body || "{}").key === secret ? 200 : 400).end();
    });
    const post = { type: "http", method: "POST", json: { key: "${env:SECRET}", note: "probe" } };
    const away = await probeOne({ ...post, url: `${first.url}/moved` }, { env: { SECRET: secret } });
    expect(away).toMatchObject({ state: "down", status: 307, error: `not following the redirect to ${other.url}/elsewhere: it would send the request body, which carries a secret, to another origin` });
    expect(received).toEqual([]);
    expect(await probeOne({ ...post, url: `${first.url}/here` }, { env: { SECRET: secret } })).toMatchObject({ state: "up" });
    // Without a secret in it, the body follows the redirect as HTTP says.
    expect(await probeOne({ type: "http", method: "POST", json: { note: "probe" }, url: `${first.url}/moved` })).toMatchObject({ state: "up" });
    expect(received).toEqual(['{"note":"probe"}']);
  });
});

describe("secrets never reach what a run writes", () => {
  test("canaries in headers, a URL's password, a query and a path, through checks that echo, cut, fail and are refused", async () => {
    const secret = canary("Rx");
    // A server that tells everything back: the URL and headers as JSON in the body and in a header, and
    // redirects that carry the secret further.
    const echo = await serveHttp((request, response) => {
      const told = JSON.stringify({ url: request.url, headers: request.headers });
      if (request.url?.startsWith("/hop")) {
        response.writeHead(302, { location: `/landed?token=${encodeURIComponent(secret)}&note=${encodeURIComponent(secret)}` }).end();
        return;
      }
      if (request.url?.startsWith("/long")) {
        // The secret straddles the 120-character cut of a condition's `actual`.
        response.writeHead(500).end(`${"x".repeat(110)}${secret.toLowerCase()}`);
        return;
      }
      if (request.url?.startsWith("/not-json")) {
        response.writeHead(200, { "content-type": "application/json" }).end(secret);
        return;
      }
      const failing = request.url?.includes("fail");
      response.writeHead(failing ? 500 : 200, { "content-type": "application/json", "x-echo": encodeURIComponent(told.slice(0, 300)) }).end(told);
    });
    const refused = await closedPort();
    // A password in a URL's user part is written percent-encoded, as URLs require.
    const env = { API_TOKEN: secret, HOOK_PATH: secret, DB_PASSWORD: encodeURIComponent(secret), REF: secret, BASE: `http://ops:${encodeURIComponent(secret)}@127.0.0.1:${echo.port}` };
    const everyCondition = ["[BODY] == pat(*nothing-like-this*)", "[HEADER].x-echo == nope", "[BODY].headers.authorization == x"];
    // Outcomes must not depend on the machine's speed: a generous timeout for targets that all answer.
    const slowCheck = (input: Record<string, unknown>) => makeCheck({ timeout: "30s", ...input });
    const checks = [
      slowCheck({ id: "header-ok", type: "http", url: `${echo.url}/ok`, headers: { Authorization: "Bearer ${env:API_TOKEN}" } }),
      slowCheck({ id: "header-fail", type: "http", url: `${echo.url}/fail`, headers: { Authorization: "Bearer ${env:API_TOKEN}", "X-Client-Ref": "${env:REF}" }, conditions: everyCondition }),
      slowCheck({ id: "userinfo-fail", type: "http", url: "${env:BASE}/fail", conditions: everyCondition }),
      slowCheck({ id: "query-fail", type: "json", url: `${echo.url}/fail?token=\${env:API_TOKEN}&ref=\${env:REF}`, metrics: { port: "headers.host" }, conditions: everyCondition }),
      slowCheck({ id: "redirected", type: "http", url: `${echo.url}/hop`, conditions: everyCondition }),
      slowCheck({ id: "path-secret", type: "http", url: "${env:BASE}/hooks/${env:HOOK_PATH}/fail", conditions: everyCondition }),
      slowCheck({ id: "cut", type: "http", url: `${echo.url}/long`, headers: { "X-Client-Ref": "${env:REF}" }, conditions: ["[BODY] == ok"] }),
      slowCheck({ id: "not-json", type: "json", url: `${echo.url}/not-json`, headers: { "X-Client-Ref": "${env:REF}" }, metrics: { depth: "queue.depth" } }),
      slowCheck({ id: "refused", type: "http", url: `http://ops:\${env:DB_PASSWORD}@127.0.0.1:${refused}/?token=\${env:API_TOKEN}` }),
      slowCheck({ id: "database", type: "postgres", url: `postgres://probe:\${env:DB_PASSWORD}@127.0.0.1:${refused}/postgres` }),
    ];
    const { samples, log } = await run(checks, { env });

    // The checks really did fail and pass, and the secrets really did travel to the server.
    expect(Object.fromEntries(samples.map((sample) => [sample.check, sample.state]))).toEqual({
      "header-ok": "up",
      "header-fail": "down",
      "userinfo-fail": "down",
      "query-fail": "down",
      redirected: "down",
      "path-secret": "down",
      cut: "down",
      "not-json": "down",
      refused: "down",
      database: "down",
    });
    expect(echo.requests.some((request) => request.headers.authorization === `Bearer ${secret}`)).toBe(true);
    expect(echo.requests.some((request) => request.url.includes(encodeURIComponent(secret).slice(0, 12)))).toBe(true);
    expect(samples.find((sample) => sample.check === "header-fail")!.conditions!.some((c) => c.actual?.includes(REDACTED))).toBe(true);
    expect(samples.find((sample) => sample.check === "cut")!.conditions![0]!.actual).toBe(`${"x".repeat(110)}${REDACTED}`);
    expect(samples.find((sample) => sample.check === "not-json")!.error).toContain(`"${REDACTED}"...`);

    const root = await tempDir();
    await appendSamples(root, samples);
    await appendLog(root, log);
    const files = await everyFile(root);
    expect(files.size).toBeGreaterThanOrEqual(2);
    for (const [file, bytes] of files) {
      const text = bytes.toString();
      const at = text.indexOf(secret.slice(0, 10));
      expect(leaksIn(bytes, [secret]), `${file}: ${text.slice(Math.max(0, at - 200), at + 100)}`).toEqual([]);
    }
  });
});
