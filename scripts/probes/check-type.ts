import type { z } from "zod";

/**
 * One check type: the fields it adds to a check in checks/providers/*.yaml.
 * Adding a type is one file exporting a CheckType and one line in registry.ts.
 */
export interface CheckType<Type extends string = string, Options extends z.ZodRawShape = z.ZodRawShape> {
  type: Type;
  options: Options;
}

export function defineCheckType<Type extends string, Options extends z.ZodRawShape>(
  definition: CheckType<Type, Options>,
): CheckType<Type, Options> {
  return definition;
}
