import type { Dispatcher } from "undici";
import type { z } from "zod";
import type { Redact } from "../core/redaction.ts";
import type { Notification } from "../core/schema/records.ts";

/** A route's options after `${env:NAME}` placeholders were filled in. */
export type RouteOptions<Options extends z.ZodRawShape> = z.output<z.ZodObject<Options>> & { id: string };

export interface DeliveryContext {
  /** HTTP dispatcher (undici); tests and the probe run pass theirs. */
  dispatcher?: Dispatcher;
  /** Aborts the delivery when its time is up. */
  signal: AbortSignal;
  /** Items the channel already accepted in an earlier attempt; skip them. */
  delivered: ReadonlySet<string>;
  /** Records that the channel accepted one item, before the next is sent. */
  accepted(item: string): Promise<void>;
  /** One client per run and key (e.g. one GitHub client per repository), built on first use. */
  reuse<T>(key: string, create: () => T): T;
  /** The route's redactor: a channel applies it before it cuts a text short (an excerpt of an answer). */
  redact: Redact;
}

/**
 * One notification channel: the fields a route of this channel adds in checks/signalroom.yaml, and how a
 * notification is delivered. `deliver` resolves only once the channel accepted everything and throws
 * otherwise. Adding a channel is one file exporting a Channel and one line in registry.ts.
 */
export interface Channel<Name extends string = string, Options extends z.ZodRawShape = z.ZodRawShape> {
  channel: Name;
  options: Options;
  /** What a repeated delivery does, stated honestly (docs/alerting.md lists it). */
  deliver(notification: Notification, route: RouteOptions<Options>, context: DeliveryContext): Promise<void>;
}

export function defineChannel<Name extends string, Options extends z.ZodRawShape>(definition: Channel<Name, Options>): Channel<Name, Options> {
  return definition;
}

/** A channel refused or could not be reached; `retryAfterMs` when it said when to come back. */
export class DeliveryError extends Error {
  override name = "DeliveryError";
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  constructor(message: string, status?: number, retryAfterMs?: number) {
    super(message);
    this.status = status;
    this.retryAfterMs = retryAfterMs;
  }
}

/** A `reuse` for one run: each client is built on first use and shared after. */
export function clientCache(): DeliveryContext["reuse"] {
  const clients = new Map<string, unknown>();
  return <T>(key: string, create: () => T): T => {
    if (!clients.has(key)) clients.set(key, create());
    return clients.get(key) as T;
  };
}
