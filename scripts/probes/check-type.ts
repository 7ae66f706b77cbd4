import type { Dispatcher } from "undici";
import type { z } from "zod";
import type { Clock } from "../core/clock.ts";
import type { Placeholder } from "../core/conditions.ts";
import type { Redact } from "../core/redaction.ts";
import type { Sample } from "../core/schema/records.ts";

/** What one probe attempt found; the runner adds time, check, region and run id, and redacts it. */
export type ProbeOutcome = Omit<Sample, "at" | "check" | "region" | "run">;

/** Steps of one attempt, in the order they happen; each type marks those it has. */
export type Phase = "dns" | "connect" | "tls" | "firstByte" | "done";

export interface ProbeContext {
  /** Aborts when the attempt's timeout passes or the run's budget ends; every wait must listen to it. */
  signal: AbortSignal;
  /** The attempt's timeout, for messages. */
  timeoutMs: number;
  /** Sent to targets that take one (HTTP `x-request-id`), and on the attempt's run-log entry. */
  requestId: string;
  clock: Clock;
  /** The workspace, for checks that read files (heartbeats). */
  root: string;
  /** Given by the caller to route HTTP through it (a proxy, say); otherwise each attempt opens its own connection. */
  dispatcher?: Dispatcher;
  /** Marks that a phase ended; `detail` (remote address, TLS protocol…) goes into the run log. */
  mark(phase: Phase, detail?: Record<string, string | number>): void;
  /**
   * The check's redactor for the secrets known before the attempt. The runner redacts everything the probe
   * returns; a probe applies this itself before it cuts a text short, and asks it whether a header or body
   * carries a secret before sending it somewhere else.
   */
  redact: Redact;
}

/** The settings every check has, as its probe sees them. */
export interface CheckSettings {
  id: string;
  provider: string;
  timeout: number;
  latencyObjective?: number;
}

/** A check of one type with its `${env:…}` placeholders resolved. */
export type ProbeTarget<Options extends z.ZodRawShape> = z.output<z.ZodObject<Options>> & CheckSettings;

/**
 * One check type: the fields it adds to a check in checks/providers/*.yaml, the condition placeholders
 * it provides, and the probe. Adding a type is one file exporting a CheckType and one line in registry.ts.
 */
// The default `any` is the registry's common view of every type (a probe's parameter cannot be widened
// safely); each type's own file keeps its exact options.
export interface CheckType<Type extends string = string, Options extends z.ZodRawShape = any> {
  type: Type;
  options: Options;
  /** Placeholders its `conditions` may use; empty when the type takes no conditions. */
  placeholders: readonly Placeholder[];
  /**
   * What an attempt that got no answer in time records: `down` for a target (the default); `error` for a
   * type that only reads someone else's report, where silence says nothing about the service.
   */
  silence?: "down" | "error";
  /** Probes once. A failing target is an outcome (down), never an exception. */
  probe(check: ProbeTarget<Options>, context: ProbeContext): Promise<ProbeOutcome>;
}

export function defineCheckType<Type extends string, Options extends z.ZodRawShape>(
  definition: CheckType<Type, Options>,
): CheckType<Type, Options> {
  return definition;
}
