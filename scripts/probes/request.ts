/**
 * One HTTP request as the http and json checks make it: its own connection (so every attempt measures
 * name lookup, connect, TLS and first byte), redirects followed by hand (loops and limits named, and
 * secrets never carried to another origin), and the body read up to a size cap.
 */
import { Agent, request, type Dispatcher } from "undici";
import { basicCredentials, carriesSecret, isSecretHeader } from "../core/redaction.ts";
import type { ProbeContext, ProbeTarget } from "./check-type.ts";
import { openConnection, type Certificate } from "./connection.ts";
import { describeFailure, ProbeFailure } from "./failure.ts";
import type { requestOptions } from "./shared-options.ts";
import type { Observation } from "./verdict.ts";

export type RequestTarget = ProbeTarget<typeof requestOptions>;

const USER_AGENT = "Signalroom-probe/1 (status monitor)";
const FINISHED = new Error("the attempt is over");

/** Whether a status is accepted by a list such as [200, 405], ["2xx"] or ["200-299"]. */
export function acceptsStatus(status: number, expected: readonly (number | string)[]): boolean {
  return expected.some((entry) => {
    if (typeof entry === "number") return entry === status;
    if (/^[1-5]xx$/.test(entry)) return Math.floor(status / 100) === Number(entry[0]);
    const [from, to] = entry.split("-").map(Number);
    return status >= from! && status <= to!;
  });
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1_048_576 && bytes % 1_048_576 === 0) return `${bytes / 1_048_576} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/** An observation of the request; a target that could not be read is `failures`, never an exception. */
export async function performRequest(check: RequestTarget, context: ProbeContext): Promise<Observation | { error: string }> {
  let url: URL;
  try {
    url = new URL(check.url);
  } catch {
    return { error: "url is not a valid address once its placeholders are filled in" };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return { error: `url must start with http:// or https://, not ${url.protocol}//` };

  const headers: Record<string, string> = { "user-agent": USER_AGENT, "x-request-id": context.requestId };
  for (const [name, value] of Object.entries(check.headers)) headers[name.toLowerCase()] = value;
  if (url.username || url.password) {
    headers.authorization ??= `Basic ${basicCredentials(decodeURIComponent(url.username), decodeURIComponent(url.password))}`;
    url.username = "";
    url.password = "";
  }
  let body: string | undefined = check.body;
  if (check.json !== undefined) {
    body = JSON.stringify(check.json);
    headers["content-type"] ??= "application/json";
  }

  let certificate: Certificate | undefined;
  const agent = context.dispatcher
    ? undefined
    : new Agent({
        connections: 1,
        connect: (options, callback) => {
          const tls = options.protocol === "https:";
          openConnection({
            host: options.hostname,
            port: Number(options.port) || (tls ? 443 : 80),
            tls: tls ? { servername: options.servername ?? undefined, alpn: ["http/1.1"] } : undefined,
            signal: context.signal,
            mark: context.mark,
            now: () => context.clock.now(),
          }).then(
            (connection) => {
              certificate = connection.certificate ?? certificate;
              if (connection.untrusted && !check.insecure) {
                connection.socket.destroy();
                callback(new ProbeFailure(connection.untrusted), null);
              } else callback(null, connection.socket);
            },
            (error: Error) => callback(error, null),
          );
        },
      });
  const dispatcher: Dispatcher = context.dispatcher ?? agent!;
  const started = performance.now();
  const seen = (extra: Observation): Observation => ({ ...extra, certDays: certificate?.daysLeft });
  try {
    let method: string = check.method;
    const visited = [url.href];
    for (;;) {
      const response = await request(url, { dispatcher, method: method as Dispatcher.HttpMethod, headers, body, signal: context.signal });
      context.mark("firstByte", { status: response.statusCode });
      const location = response.headers.location;
      if (check.followRedirects && response.statusCode >= 300 && response.statusCode < 400 && typeof location === "string") {
        await response.body.dump();
        const next = new URL(location, url);
        if (visited.includes(next.href)) {
          return seen({ connected: true, status: response.statusCode, failures: [`redirect loop: ${[...visited, next.href].map((href) => shortUrl(href, url)).join(" → ")}`] });
        }
        if (visited.length > check.maxRedirects) {
          return seen({ connected: true, status: response.statusCode, failures: [`more than ${check.maxRedirects} redirects (maxRedirects), last to ${shortUrl(next.href, url)}`] });
        }
        if (response.statusCode === 303 || ((response.statusCode === 301 || response.statusCode === 302) && method === "POST")) {
          method = "GET";
          body = undefined;
          delete headers["content-type"];
        }
        if (next.origin !== url.origin) {
          // Another origin gets no credential header and no header or body that carries a secret. A body is
          // the request itself, so a redirect that would resend one with a secret in it is not followed.
          if (body !== undefined && carriesSecret(body, context.redact)) {
            return seen({ connected: true, status: response.statusCode, failures: [`not following the redirect to ${shortUrl(next.href, url)}: it would send the request body, which carries a secret, to another origin`] });
          }
          for (const [name, value] of Object.entries(headers)) if (isSecretHeader(name) || carriesSecret(value, context.redact)) delete headers[name];
        }
        visited.push(next.href);
        url = next;
        continue;
      }
      const read = await readBody(response, check.maxBodyBytes);
      const responseTimeMs = performance.now() - started;
      context.mark("done", { bytes: read.bytes });
      const failures: string[] = [];
      if (!acceptsStatus(response.statusCode, check.expectStatus)) {
        failures.push(`status ${response.statusCode}, expected ${check.expectStatus.join(" or ")}`);
      }
      if (read.tooLarge) failures.push(`the response body is larger than the ${formatBytes(check.maxBodyBytes)} limit (maxBodyBytes)`);
      return seen({
        connected: true,
        status: response.statusCode,
        responseTimeMs,
        headers: flattenHeaders(response.headers),
        body: read.text,
        failures,
      });
    }
  } catch (error) {
    return seen({ connected: false, failures: [describeFailure(error, url.host, context.signal)] });
  } finally {
    // Closing the attempt's own connection cannot change its outcome, so the attempt does not wait for it.
    // Giving the reason up front spares undici building an error (and its stack) per connection.
    agent?.destroy(FINISHED).catch(() => undefined);
  }
}

async function readBody(response: Dispatcher.ResponseData, cap: number): Promise<{ text: string; bytes: number; tooLarge: boolean }> {
  const declared = Number(response.headers["content-length"]);
  if (Number.isFinite(declared) && declared > cap) {
    response.body.destroy();
    return { text: "", bytes: 0, tooLarge: true };
  }
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of response.body) {
    bytes += (chunk as Buffer).length;
    if (bytes > cap) {
      response.body.destroy();
      return { text: "", bytes, tooLarge: true };
    }
    chunks.push(chunk as Buffer);
  }
  return { text: Buffer.concat(chunks).toString("utf8"), bytes, tooLarge: false };
}

function flattenHeaders(headers: Dispatcher.ResponseData["headers"]): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return flat;
}

/** A URL as messages show it: the path on the same origin, the origin and path elsewhere; never the query. */
function shortUrl(href: string, base: URL): string {
  const url = new URL(href);
  return url.origin === base.origin ? url.pathname : `${url.origin}${url.pathname}`;
}
