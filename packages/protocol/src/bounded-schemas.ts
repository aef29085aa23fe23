import { z } from "zod";
import { LIMITS } from "./limits.js";

/**
 * Schemas for the containers zod cannot bound by itself. An array's `.max()` is enough (zod rejects an oversized
 * array on its length, before parsing any element), but a record, an object that tolerates unknown fields and a
 * free-form value have no size check: each of these is wrapped in a guard that checks the raw value's size first
 * and stops the parse before any entry is looked at when it is too big.
 */

export interface JsonBounds {
  /** Deepest nesting of objects and arrays; the value itself is level 1. */
  maxDepth: number;
  /** Most values (objects, arrays and leaves) in the whole value. */
  maxNodes: number;
}

const FREE_FORM_BOUNDS: JsonBounds = { maxDepth: LIMITS.jsonDepth, maxNodes: LIMITS.jsonNodes };

const guards = new WeakSet<z.ZodType>();

/** True for a schema made here: its guard bounds the size of what it wraps (the tests walk schemas with it). */
export function isSizeGuard(schema: z.ZodType): boolean {
  return guards.has(schema);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * Why `roots` break `bounds`, or undefined when they do not. Iterative, and it stops as soon as the budget is
 * spent, so a deep value cannot overflow the stack and a wide one costs at most `maxNodes` steps.
 */
export function jsonBoundsViolation(
  roots: readonly unknown[],
  bounds: JsonBounds = FREE_FORM_BOUNDS,
): string | undefined {
  const tooMany = `holds more than ${bounds.maxNodes} values`;
  if (roots.length > bounds.maxNodes) return tooMany;
  const values: unknown[] = [...roots];
  const depths: number[] = roots.map(() => 1);
  let visited = 0;
  while (values.length > 0) {
    const value = values.pop();
    const depth = depths.pop() ?? 1;
    visited += 1;
    if (value === null || typeof value !== "object") continue;
    if (depth > bounds.maxDepth) return `is nested deeper than ${bounds.maxDepth} levels`;
    const children = Array.isArray(value) ? value : Object.values(value);
    if (visited + values.length + children.length > bounds.maxNodes) return tooMany;
    for (const child of children) {
      values.push(child);
      depths.push(depth + 1);
    }
  }
  return undefined;
}

function tooManyKeys(value: Record<string, unknown>, maxKeys: number): string | undefined {
  return Object.keys(value).length > maxKeys ? `has more than ${maxKeys} keys` : undefined;
}

/** Runs `problem` on the raw input; a problem fails the parse before `schema` sees the value. */
function guarded<S extends z.ZodType>(problem: (value: unknown) => string | undefined, schema: S) {
  const guard = z.preprocess<z.input<S>, S, z.input<S>>((value, ctx) => {
    const message = problem(value);
    if (message !== undefined) ctx.addIssue({ code: "custom", message, input: value });
    return value;
  }, schema);
  guards.add(guard);
  return guard;
}

/** A free-form value (JSON the gateway passes on without reading), at most `bounds` deep and large. */
export function boundedJson(bounds: JsonBounds = FREE_FORM_BOUNDS) {
  return guarded((value) => jsonBoundsViolation([value], bounds), z.unknown());
}

/** `z.record` with at most `maxKeys` keys, counted before any key or value is parsed. */
export function boundedRecord<K extends z.core.$ZodRecordKey, V extends z.ZodType>(
  key: K,
  value: V,
  maxKeys: number = LIMITS.objectKeys,
) {
  return guarded(
    (input) => (isPlainObject(input) ? tooManyKeys(input, maxKeys) : undefined),
    z.record(key, value),
  );
}

/**
 * `z.looseObject`: unknown fields are kept (newer clients send more), but at most `maxKeys` fields in all, and the
 * unknown ones together within `bounds`. The known fields are bounded by their own schemas.
 */
export function boundedLooseObject<T extends z.ZodRawShape>(
  shape: T,
  maxKeys: number = LIMITS.objectKeys,
  bounds: JsonBounds = FREE_FORM_BOUNDS,
) {
  const problem = (input: unknown) => {
    if (!isPlainObject(input)) return undefined;
    const keys = tooManyKeys(input, maxKeys);
    if (keys !== undefined) return keys;
    const unknownFields = Object.keys(input)
      .filter((key) => !Object.hasOwn(shape, key))
      .map((key) => input[key]);
    const violation = jsonBoundsViolation(unknownFields, bounds);
    return violation === undefined ? undefined : `an unknown field ${violation}`;
  };
  return guarded(problem, z.looseObject(shape));
}
