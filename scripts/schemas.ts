/**
 * The composition root of every file format: the core schemas completed with the fields each check type
 * (scripts/probes) and each notification channel (scripts/notify) adds. Everything that reads or writes a
 * file, and the generated references, use these.
 */
import { z } from "zod";
import { alertRulesFile } from "./core/schema/alert-rules.ts";
import { makeConfigSchema, routeBase } from "./core/schema/config.ts";
import { incidentFrontmatter } from "./core/schema/incident.ts";
import { checkBase, makeProviderSchema } from "./core/schema/provider.ts";
import { stateFile } from "./core/schema/records.ts";
import type { CheckType } from "./probes/check-type.ts";
import { checkTypes } from "./probes/registry.ts";
import type { Channel } from "./notify/channel.ts";
import { channels } from "./notify/registry.ts";

export function checkSchema<T extends string, O extends z.ZodRawShape>(definition: CheckType<T, O>) {
  return checkBase.extend({ type: z.literal(definition.type).describe("Check type."), ...definition.options });
}

export function routeSchema<N extends string, O extends z.ZodRawShape>(definition: Channel<N, O>) {
  return routeBase.extend({ channel: z.literal(definition.channel).describe("Notification channel."), ...definition.options });
}

type CheckSchemas<T extends readonly CheckType[]> = {
  -readonly [K in keyof T]: ReturnType<typeof checkSchema<T[K]["type"], T[K]["options"]>>;
};
type RouteSchemas<T extends readonly Channel[]> = {
  -readonly [K in keyof T]: ReturnType<typeof routeSchema<T[K]["channel"], T[K]["options"]>>;
};

const checkSchemas = checkTypes.map((type: CheckType) => checkSchema(type)) as unknown as CheckSchemas<typeof checkTypes>;
const routeSchemas = channels.map((channel: Channel) => routeSchema(channel)) as unknown as RouteSchemas<typeof channels>;

export const check = z.discriminatedUnion("type", checkSchemas);
export const route = z.discriminatedUnion("channel", routeSchemas);
export const configFile = makeConfigSchema(route);
export const providerFile = makeProviderSchema(check);
export { alertRulesFile, incidentFrontmatter, stateFile };

export type Check = z.output<typeof check>;
export type CheckOf<T extends Check["type"]> = Extract<Check, { type: T }>;
export type Route = z.output<typeof route>;
export type RouteOf<C extends Route["channel"]> = Extract<Route, { channel: C }>;
export type Config = z.output<typeof configFile>;
export type ProviderFile = z.output<typeof providerFile>;
export type AlertRulesFile = z.output<typeof alertRulesFile>;
export type AlertRule = AlertRulesFile["rules"][number];
export type IncidentFrontmatter = z.output<typeof incidentFrontmatter>;
