import type { z } from "zod";

/**
 * One notification channel: the fields a route of this channel adds in checks/signalroom.yaml.
 * Adding a channel is one file exporting a Channel and one line in registry.ts.
 */
export interface Channel<Name extends string = string, Options extends z.ZodRawShape = z.ZodRawShape> {
  channel: Name;
  options: Options;
}

export function defineChannel<Name extends string, Options extends z.ZodRawShape>(
  definition: Channel<Name, Options>,
): Channel<Name, Options> {
  return definition;
}
