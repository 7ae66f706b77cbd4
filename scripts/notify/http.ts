/** The one HTTP path of the webhook-style channels: pure request lists, sent in order, each accepted item recorded. */
import { request } from "undici";
import type { DeliveryContext } from "./channel.ts";
import { deliverEach, DeliveryError, type DeliveryFailure } from "./channel.ts";

export interface HttpRequest {
  /** Item this request delivers, so a retry skips what was already accepted. */
  item?: string;
  method: "POST" | "PUT";
  url: string;
  headers: Record<string, string>;
  body: string;
  /**
   * The channel's own reading of an answer, for channels that say more than the status does (Telegram's
   * `ok: false`, a Teams connector's error text under 200): a reason and how to treat it, or undefined when the
   * status alone decides.
   */
  verdict?(status: number, body: string): (DeliveryFailure & { reason: string }) | undefined;
}

export function jsonRequest(url: string, payload: unknown, headers: Record<string, string> = {}, item?: string): HttpRequest {
  return { item, method: "POST", url, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(payload) };
}

function retryAfter(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

async function send(entry: HttpRequest, context: DeliveryContext): Promise<void> {
  const host = new URL(entry.url).host;
  let response;
  try {
    response = await request(entry.url, { method: entry.method, headers: entry.headers, body: entry.body, dispatcher: context.dispatcher, signal: context.signal });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code;
    throw new DeliveryError(`could not reach ${host}: ${cause ?? (error as Error).message}`);
  }
  // Redacted before anything reads or cuts it to an excerpt, so a cut never leaves part of a secret.
  const body = context.redact(await response.body.text());
  const text = body.slice(0, 200).replace(/\s+/g, " ").trim();
  const own = entry.verdict?.(response.statusCode, body);
  if (own) throw new DeliveryError(`${host} answered ${response.statusCode}: ${own.reason}`, { status: response.statusCode, ...own });
  if (response.statusCode >= 300) {
    throw new DeliveryError(`${host} answered ${response.statusCode}${text ? `: ${text}` : ""}`, { status: response.statusCode, retryAfterMs: retryAfter(response.headers["retry-after"]) });
  }
}

/** Sends each request in order; a request whose item was delivered before is skipped (see `deliverEach`). */
export function sendAll(requests: readonly HttpRequest[], context: DeliveryContext): Promise<void> {
  return deliverEach(requests, context, (entry) => send(entry, context));
}
