import { describe, expect, it } from "vitest";
import { z } from "zod";
import { boundedJson, boundedLooseObject, boundedRecord, isSizeGuard } from "../bounded-schemas.js";
import { AuthAliasParamsSchema, ConnectParamsSchema } from "../handshake.js";
import { LIMITS } from "../limits.js";
import { METHOD_CONTRACTS } from "./contracts.js";

/** zod rejects an oversized array on its length alone when its leading checks (before any other) include a max. */
function hasLeadingMax(checks: readonly z.core.$ZodCheck[] | undefined): boolean {
  for (const check of checks ?? []) {
    const name = check._zod.def.check;
    if (!/_(length|size)$|_equals$/.test(name)) return false;
    if (name === "max_length" || name === "length_equals") return true;
  }
  return false;
}

function hasMaxLength(checks: readonly z.core.$ZodCheck[] | undefined): boolean {
  return (checks ?? []).some((check) => ["max_length", "length_equals"].includes(check._zod.def.check));
}

/**
 * Every place in `schema` where a client could send something unbounded: a string without a max length, an array
 * without a leading max, or a record, unknown field or free-form value that no size guard wraps.
 */
function unboundedParts(schema: z.core.$ZodType, path: string, guarded = false): string[] {
  const def = schema._zod.def as z.core.$ZodTypeDef & Record<string, unknown>;
  const walk = (child: unknown, childPath = path, childGuarded = false) =>
    unboundedParts(child as z.core.$ZodType, childPath, childGuarded);
  switch (def.type) {
    case "lazy":
      return walk((def.getter as () => unknown)(), path, guarded);
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "readonly":
    case "nonoptional":
    case "catch":
      return walk(def.innerType, path, guarded);
    case "pipe":
      if (isSizeGuard(schema as z.ZodType)) return walk(def.out, path, true);
      return [...walk(def.in), ...walk(def.out)];
    case "string":
      return hasMaxLength(def.checks) ? [] : [`${path}: string without a max length`];
    case "array":
      return [
        ...(hasLeadingMax(def.checks) ? [] : [`${path}: array without a leading max`]),
        ...walk(def.element, `${path}[]`),
      ];
    case "object": {
      const shape = def.shape as Record<string, unknown>;
      const fields = Object.entries(shape).flatMap(([key, child]) => walk(child, `${path}.${key}`));
      const catchall = def.catchall as z.core.$ZodType | undefined;
      if (!catchall || catchall._zod.def.type === "never") return fields;
      return [...fields, ...walk(catchall, `${path}.*`, guarded)];
    }
    case "record":
      return [
        ...(guarded ? [] : [`${path}: record without a key-count guard`]),
        ...walk(def.keyType, `${path}<key>`),
        ...walk(def.valueType, `${path}.*`),
      ];
    case "union":
      return (def.options as unknown[]).flatMap((option, index) => walk(option, `${path}|${index}`));
    case "intersection":
      return [...walk(def.left), ...walk(def.right)];
    case "tuple":
      return [...(def.items as unknown[]).flatMap((item) => walk(item)), ...(def.rest ? walk(def.rest) : [])];
    case "unknown":
    case "any":
    case "custom":
    case "transform":
      return guarded ? [] : [`${path}: free-form value without a size guard`];
    default:
      return [];
  }
}

const REQUEST_PARAMS: [string, z.core.$ZodType][] = [
  ["connect", ConnectParamsSchema],
  ["auth", AuthAliasParamsSchema],
  ...Object.entries(METHOD_CONTRACTS).map(([method, contract]): [string, z.core.$ZodType] => [
    method,
    contract.params,
  ]),
];

describe("the bounds walker", () => {
  it("finds what is unbounded, so a green run means something", () => {
    const loose = z.object({
      name: z.string(),
      tags: z.array(z.string().max(8)),
      late: z
        .array(z.string().max(8))
        .refine(() => true)
        .max(4),
      env: z.record(z.string().max(8), z.string().max(8)),
      extra: z.unknown(),
      rest: z.looseObject({}),
    });
    expect(unboundedParts(loose, "params")).toEqual([
      "params.name: string without a max length",
      "params.tags: array without a leading max",
      "params.late: array without a leading max",
      "params.env: record without a key-count guard",
      "params.extra: free-form value without a size guard",
      "params.rest.*: free-form value without a size guard",
    ]);
    const bounded = z.object({
      name: z.string().max(8),
      tags: z.array(z.string().max(8)).min(1).max(4),
      env: boundedRecord(z.string().max(8), z.string().max(8)),
      extra: boundedJson().optional(),
      rest: boundedLooseObject({ id: z.string().max(8) }),
    });
    expect(unboundedParts(bounded, "params")).toEqual([]);
  });
});

describe("every request's params are bounded", () => {
  it.each(REQUEST_PARAMS)("%s", (method, schema) => {
    expect(unboundedParts(schema, method)).toEqual([]);
  });
});

describe("the limits in JSON Schema", () => {
  it("show as maxItems and maxLength, so clients and docs can read them", () => {
    const schema = z.toJSONSchema(ConnectParamsSchema, { io: "input", unrepresentable: "any" }) as {
      properties: Record<string, { maxItems?: number; items?: { maxLength?: number } }>;
    };
    expect(schema.properties.scopes?.maxItems).toBe(LIMITS.scopes);
    expect(schema.properties.scopes?.items?.maxLength).toBe(LIMITS.idChars);
    for (const [, params] of REQUEST_PARAMS) {
      expect(() => z.toJSONSchema(params, { io: "input", unrepresentable: "any" })).not.toThrow();
    }
  });
});
