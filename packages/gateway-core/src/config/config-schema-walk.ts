import { z } from "zod";
import { isOpenSchema } from "./config-schema.js";
import { describeUnmodelledKey, type UnmodelledKeyReport } from "./openclaw-known-keys.js";
import { isPlainObject } from "./plain-object.js";
import { hasUnsupportedKeysBelow, readElsewhere } from "./unsupported-keys.js";

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

interface WalkState {
  path: string[];
  /** The key sits directly in an object that is open by design: only catalogued OpenClaw keys are reported. */
  open: boolean;
}

/** Keys of a value no schema describes, where code outside the schema reads some keys below or the catalogue names some. */
function reportsBelow(value: unknown, state: WalkState): UnmodelledKeyReport[] {
  if (!isPlainObject(value)) return [];
  return Object.entries(value).flatMap(([key, item]) =>
    reportKey(item, { ...state, path: [...state.path, key] }),
  );
}

/** The verdict for one key the schema does not model. */
function reportKey(value: unknown, state: WalkState): UnmodelledKeyReport[] {
  const elsewhere = readElsewhere(state.path);
  if (elsewhere === "honoured") return [];
  if (elsewhere === "partly") return reportsBelow(value, state);
  const report = describeUnmodelledKey(state.path);
  if (!report) return [];
  if (report.kind === "unknown" && state.open) {
    // A plugin's own key: its plugin checks it, but OpenClaw keys catalogued below it (per account) are reported.
    return hasUnsupportedKeysBelow(state.path) ? reportsBelow(value, state) : [];
  }
  return [report];
}

/** The member of a union that accepts `value` and has keys to check (an object, record or array), if any. */
function unionMemberFor(union: z.ZodUnion, value: unknown): z.ZodType | undefined {
  if (!isPlainObject(value) && !Array.isArray(value)) return undefined;
  return (union.options as z.ZodType[]).find((option) => {
    const core = unwrapSchema(option);
    const shaped = core instanceof z.ZodObject || core instanceof z.ZodRecord || core instanceof z.ZodArray;
    return shaped && option.safeParse(value).success;
  });
}

function walk(value: unknown, schema: z.ZodType, state: WalkState): UnmodelledKeyReport[] {
  const core = unwrapSchema(schema);
  if (core instanceof z.ZodUnion) {
    const member = unionMemberFor(core, value);
    return member ? walk(value, member, state) : [];
  }
  if (core instanceof z.ZodArray && Array.isArray(value)) {
    return value.flatMap((item, index) =>
      walk(item, core.element as z.ZodType, { ...state, path: [...state.path, `${index}`] }),
    );
  }
  if (core instanceof z.ZodRecord && isPlainObject(value)) {
    return Object.entries(value).flatMap(([key, item]) =>
      walk(item, core.valueType as z.ZodType, { ...state, path: [...state.path, key] }),
    );
  }
  if (!(core instanceof z.ZodObject) || !isPlainObject(value)) return [];
  const shape = core.shape as Record<string, z.ZodType>;
  const open = isOpenSchema(core);
  return Object.entries(value).flatMap(([key, item]) => {
    const field = shape[key];
    const inner = { path: [...state.path, key], open };
    return field ? walk(item, field, inner) : reportKey(item, inner);
  });
}

/**
 * Reports every key of `value` that `schema` does not model, however deep: an OpenClaw key this gateway does not
 * act on (with what happens instead) or an unknown one. Inside objects that are open by design (a plugin's own
 * settings) only catalogued OpenClaw keys are reported. Arrays and records are followed into their items, unions
 * into the member that accepts the value.
 */
export function findUnmodelledKeyReports(value: unknown, schema: z.ZodType): UnmodelledKeyReport[] {
  return walk(value, schema, { path: [], open: false });
}

/** {@link findUnmodelledKeyReports} as one warning sentence per key. */
export function findUnmodelledKeys(value: unknown, schema: z.ZodType): string[] {
  return findUnmodelledKeyReports(value, schema).map((report) => report.message);
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
    if (core instanceof z.ZodUnion) current = unionMember(core, segment);
    else if (core instanceof z.ZodObject)
      current = (core.shape as Record<string, z.ZodType>)[String(segment)];
    else if (core instanceof z.ZodRecord) current = core.valueType as z.ZodType;
    else if (core instanceof z.ZodArray) current = core.element as z.ZodType;
    else return undefined;
  }
  return current;
}

/** The schema of `segment` in the first member of a union that models it (a string-or-object value, say). */
function unionMember(union: z.ZodUnion, segment: string | number): z.ZodType | undefined {
  for (const option of union.options as z.ZodType[]) {
    const found = schemaAtPath(option, [segment]);
    if (found) return found;
  }
  return undefined;
}
