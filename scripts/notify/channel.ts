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
  /** The run's environment (e.g. GITHUB_API_URL, which a route without its own address follows). */
  env: Readonly<Record<string, string | undefined>>;
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

/**
 * Whether an HTTP answer says that sending the same thing again cannot help: a 4xx other than 408 (timeout)
 * and 429 (too many requests), or a redirect (the route's address moved; redirects are not followed).
 */
export function permanentStatus(status: number): boolean {
  return status >= 300 && status < 500 && status !== 408 && status !== 429;
}

export interface DeliveryFailure {
  status?: number;
  /** When the channel said when to come back. */
  retryAfterMs?: number;
  /** Retrying cannot help (the channel refused the message, or the route cannot be used as configured). Defaults from `status`. */
  permanent?: boolean;
}

/**
 * A channel refused or could not be reached. Permanent failures become dead letters at once and never hold
 * the route's later messages; temporary ones (unreachable, timed out, 408, 429, 5xx) are retried in order.
 */
export class DeliveryError extends Error {
  override name = "DeliveryError";
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly permanent: boolean;
  constructor(message: string, failure: DeliveryFailure = {}) {
    super(message);
    this.status = failure.status;
    this.retryAfterMs = failure.retryAfterMs;
    this.permanent = failure.permanent ?? (failure.status !== undefined && permanentStatus(failure.status));
  }
}

/** Any failure as a DeliveryError: a status decides when the error carries one (octokit's), a timeout passes. */
export function toDeliveryError(error: unknown, signal: AbortSignal): DeliveryError {
  if (error instanceof DeliveryError) return error;
  if (signal.aborted) return new DeliveryError("timed out");
  const { status, message } = error as { status?: number; message: string };
  // GitHub answers a rate limit with 403: that one passes.
  if (typeof status === "number") return new DeliveryError(message, { status, permanent: permanentStatus(status) && !/rate limit/i.test(message) });
  // Anything else was thrown while building or checking the message: sending it again would fail the same way.
  return new DeliveryError(`could not build the message: ${message}`, { permanent: true });
}

/**
 * Delivers the items of a notification one after another (channels that send one request per alert),
 * skipping those accepted before and recording each accepted one. A temporary failure stops at once, so the
 * rest keep their order and wait for the retry; a permanent refusal of one item does not keep the others
 * from going out, and the notification then fails for good with every refusal named.
 */
export async function deliverEach<T extends { item?: string }>(entries: readonly T[], context: DeliveryContext, send: (entry: T) => Promise<void>): Promise<void> {
  const refused: DeliveryError[] = [];
  for (const entry of entries) {
    if (entry.item && context.delivered.has(entry.item)) continue;
    try {
      await send(entry);
    } catch (error) {
      if (error instanceof DeliveryError && error.permanent && !context.signal.aborted) {
        refused.push(error);
        continue;
      }
      throw error;
    }
    if (entry.item) await context.accepted(entry.item);
  }
  if (refused.length > 0) throw new DeliveryError([...new Set(refused.map((error) => error.message))].join("; "), { status: refused[0]!.status, permanent: true });
}

/** A `reuse` for one run: each client is built on first use and shared after. */
export function clientCache(): DeliveryContext["reuse"] {
  const clients = new Map<string, unknown>();
  return <T>(key: string, create: () => T): T => {
    if (!clients.has(key)) clients.set(key, create());
    return clients.get(key) as T;
  };
}
