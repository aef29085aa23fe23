import { z } from "zod";
import { isOpenSchema } from "./config-schema.js";
import { describeUnmodelledKey } from "./openclaw-known-keys.js";
import { isPlainObject } from "./plain-object.js";

/** Strips optional/default/nullable wrappers down to the schema that describes the value's shape. */
export function unwrapSchema(schema: z.ZodType): z.ZodType {
  let current: z.ZodType = schema;
  for (;;) {
    if (
      current instanceof z.ZodOptional ||
      current instanceof z.ZodNullable ||
      current instanceof z.ZodDefault ||
      current instanceof z.ZodPrefault ||
      current instanceof z.ZodReadonly
    ) {
      current = current.unwrap() as z.ZodType;
      continue;
    }
    return current;
  }
}

/**
 * Lists a warning for every key of `value` that `schema` does not model, however deep, except inside objects that
 * are open by design. Arrays and records are followed into their items; unions are not (no single shape applies).
 */
export function findUnmodelledKeys(value: unknown, schema: z.ZodType, path: string[] = []): string[] {
  const core = unwrapSchema(schema);
  if (core instanceof z.ZodArray && Array.isArray(value)) {
    return value.flatMap((item, index) =>
      findUnmodelledKeys(item, core.element as z.ZodType, [...path, `${index}`]),
    );
  }
  if (core instanceof z.ZodRecord && isPlainObject(value)) {
    return Object.entries(value).flatMap(([key, item]) =>
      findUnmodelledKeys(item, core.valueType as z.ZodType, [...path, key]),
    );
  }
  if (!(core instanceof z.ZodObject) || !isPlainObject(value)) return [];
  const shape = core.shape as Record<string, z.ZodType>;
  const warnings: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    const field = shape[key];
    if (field) {
      warnings.push(...findUnmodelledKeys(item, field, [...path, key]));
      continue;
    }
    if (isOpenSchema(core)) continue;
    const warning = describeUnmodelledKey([...path, key].join("."));
    if (warning) warnings.push(warning);
  }
  return warnings;
}

/**
 * The schema describing the value at `segments`, or `undefined` when the path leaves what the schema models.
 * Numeric segments step into arrays.
 */
export function schemaAtPath(
  schema: z.ZodType,
  segments: readonly (string | number)[],
): z.ZodType | undefined {
  let current: z.ZodType | undefined = schema;
  for (const segment of segments) {
    if (!current) return undefined;
    const core = unwrapSchema(current);
    if (core instanceof z.ZodObject) current = (core.shape as Record<string, z.ZodType>)[String(segment)];
    else if (core instanceof z.ZodRecord) current = core.valueType as z.ZodType;
    else if (core instanceof z.ZodArray) current = core.element as z.ZodType;
    else return undefined;
  }
  return current;
}
