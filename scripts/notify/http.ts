/** The one HTTP path of the webhook-style channels: pure request lists, sent in order, each accepted item recorded. */
import { request } from "undici";
import type { DeliveryContext } from "./channel.ts";
import { DeliveryError } from "./channel.ts";

export interface HttpRequest {
  /** Item this request delivers, so a retry skips what was already accepted. */
  item?: string;
  method: "POST" | "PUT";
  url: string;
  headers: Record<string, string>;
  body: string;
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

/** Sends each request in order; a request whose item was delivered before is skipped. */
export async function sendAll(requests: readonly HttpRequest[], context: DeliveryContext): Promise<void> {
  for (const entry of requests) {
    if (entry.item && context.delivered.has(entry.item)) continue;
    let response;
    try {
      response = await request(entry.url, { method: entry.method, headers: entry.headers, body: entry.body, dispatcher: context.dispatcher, signal: context.signal });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code;
      throw new DeliveryError(`could not reach ${new URL(entry.url).host}: ${cause ?? (error as Error).message}`);
    }
    // Redacted before it is cut to an excerpt, so the cut never leaves part of a secret.
    const text = context.redact(await response.body.text()).slice(0, 200).replace(/\s+/g, " ").trim();
    if (response.statusCode >= 300) {
      throw new DeliveryError(`${new URL(entry.url).host} answered ${response.statusCode}${text ? `: ${text}` : ""}`, response.statusCode, retryAfter(response.headers["retry-after"]));
    }
    if (entry.item) await context.accepted(entry.item);
  }
}
