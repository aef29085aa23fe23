import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { expect } from "vitest";
import {
  pendingApproval,
  RECORDED_RESULT_SHAPES,
  RELEASE_PARAM_SHAPES,
  transcriptMessage,
} from "./oracle-recorded-shapes.js";

/**
 * The oracle: OpenClaw's published JSON Schema of protocol v4 (`@openclaw/gateway-protocol`, a devDependency).
 * The package does not export `protocol.schema.json` (nor its package.json), so the file is read by path from the
 * package root, found through the package's main entry.
 */
interface OracleSchema {
  $id: string;
  methods: Record<string, { since: string; scope: string }>;
  definitions: Record<string, unknown>;
}

function loadOracleSchema(): OracleSchema {
  const entry = createRequire(import.meta.url).resolve("@openclaw/gateway-protocol");
  const packageRoot = dirname(dirname(entry));
  return JSON.parse(readFileSync(join(packageRoot, "protocol.schema.json"), "utf8")) as OracleSchema;
}

let oracle: { schema: OracleSchema; ajv: Ajv } | undefined;
const validators = new Map<string, ValidateFunction>();

function getOracle(): { schema: OracleSchema; ajv: Ajv } {
  if (!oracle) {
    const schema = loadOracleSchema();
    // strict: false because the schema carries vendor keywords (x-openclaw-since, discriminator).
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    ajv.addSchema(schema as object);
    oracle = { schema, ajv };
  }
  return oracle;
}

/** True when the oracle has a definition of that name. */
export function hasOracleDefinition(name: string): boolean {
  return Object.hasOwn(getOracle().schema.definitions, name);
}

/** The oracle's `methods` map entry: the scope OpenClaw requires for the method (or "dynamic"). */
export function oracleMethodScope(method: string): string | undefined {
  return getOracle().schema.methods[method]?.scope;
}

/**
 * A validator for `definitions/<path>`; `path` may go deeper with `/` (e.g. `Snapshot/properties/health`) to use a
 * sub-schema the oracle has no top-level name for.
 */
function validatorFor(path: string): ValidateFunction {
  const cached = validators.get(path);
  if (cached) return cached;
  const { schema, ajv } = getOracle();
  const root = path.split("/")[0] ?? path;
  if (!Object.hasOwn(schema.definitions, root)) throw new Error(`the oracle has no definition "${root}"`);
  const validate = ajv.getSchema(`${schema.$id}#/definitions/${path}`);
  if (!validate) throw new Error(`the oracle could not compile definitions/${path}`);
  validators.set(path, validate);
  return validate;
}

function formatErrors(errors: readonly ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map(
    (error) =>
      `${error.instancePath || "(root)"} ${error.message ?? "is invalid"} ${JSON.stringify(error.params)}`,
  );
}

/** The oracle's complaints about `value` as `definitions/<path>`; empty when it validates. */
export function oracleErrors(path: string, value: unknown): string[] {
  const validate = validatorFor(path);
  return validate(value) ? [] : formatErrors(validate.errors);
}

/** Fails the test with the oracle's errors (and the value) unless `value` validates as `definitions/<path>`. */
export function expectOracle(path: string, value: unknown): void {
  const errors = oracleErrors(path, value);
  expect(errors, `oracle ${path} rejects ${JSON.stringify(value)?.slice(0, 1_500)}`).toEqual([]);
}

let recordedAjv: Ajv | undefined;
const recordedValidators = new Map<string, ValidateFunction>();

function recordedValidator(name: string, schema: object): ValidateFunction {
  const cached = recordedValidators.get(name);
  if (cached) return cached;
  recordedAjv ??= new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const validate = recordedAjv.compile(schema);
  recordedValidators.set(name, validate);
  return validate;
}

/** True when OpenClaw publishes no result schema for `method` but we hold the shape 2026.9.6 answers with. */
export function hasRecordedShape(method: string): boolean {
  return Object.hasOwn(RECORDED_RESULT_SHAPES, method);
}

/** The recorded shape's complaints about `value` as `method`'s result (see oracle-recorded-shapes.ts). */
export function recordedShapeErrors(method: string, value: unknown): string[] {
  const schema = RECORDED_RESULT_SHAPES[method];
  if (schema === undefined) throw new Error(`no recorded result shape for ${method}`);
  const validate = recordedValidator(method, schema);
  return validate(value) ? [] : formatErrors(validate.errors);
}

/** Fails the test unless `value` has the shape OpenClaw 2026.9.6 answers `method` with. */
export function expectRecordedShape(method: string, value: unknown): void {
  const errors = recordedShapeErrors(method, value);
  expect(errors, `recorded shape of ${method} rejects ${JSON.stringify(value)?.slice(0, 1_500)}`).toEqual([]);
}

/** The 2026.9.6 params shape of `method` where it takes more than the published schema, else undefined. */
export function releaseParamsErrors(method: string, value: unknown): string[] | undefined {
  const schema = RELEASE_PARAM_SHAPES[method];
  if (schema === undefined) return undefined;
  const validate = recordedValidator(`${method} params`, schema);
  return validate(value) ? [] : formatErrors(validate.errors);
}

/** Complaints about a transcript message (a `chat.history` row, a `chat` event's `message`). */
export function transcriptMessageErrors(value: unknown): string[] {
  const validate = recordedValidator("(transcript message)", transcriptMessage);
  return validate(value) ? [] : formatErrors(validate.errors);
}

/** `sessions.list` -> `SessionsList`, `system-presence` -> `SystemPresence`. */
export function pascalMethodName(method: string): string {
  return method
    .split(/[.-]/)
    .map((part) => (part ? `${part[0]?.toUpperCase()}${part.slice(1)}` : part))
    .join("");
}

/**
 * Checks one frame the server sent against the oracle: its envelope and, for the events we know, its payload.
 * Responses to id-less quickstart requests carry no id by design and are not v4 frames, so only their error
 * shape is checked.
 */
export function checkServerFrame(frame: Record<string, unknown>): string[] {
  const label = (errors: string[], what: string) =>
    errors.map((error) => `${what}: ${error} in ${JSON.stringify(frame).slice(0, 300)}`);
  if (frame.type === "res") {
    if (frame.id === undefined) {
      return frame.error === undefined ? [] : label(oracleErrors("ErrorShape", frame.error), "ErrorShape");
    }
    return label(oracleErrors("ResponseFrame", frame), "ResponseFrame");
  }
  if (frame.type !== "event") return [`server sent a frame of type ${JSON.stringify(frame.type)}`];
  const errors = label(oracleErrors("EventFrame", frame), "EventFrame");
  const payload = frame.payload as Record<string, unknown> | undefined;
  switch (frame.event) {
    case "tick":
      errors.push(...label(oracleErrors("TickEvent", payload), "TickEvent"));
      break;
    case "chat":
      errors.push(...label(oracleErrors("ChatEvent", payload), "ChatEvent"));
      // OpenClaw's TUI reads only the message (the whole text so far on a delta), in its transcript shape.
      if (payload?.state === "delta" || payload?.state === "final") {
        errors.push(...label(transcriptMessageErrors(payload.message), "ChatEvent message"));
      }
      break;
    case "agent":
      errors.push(...label(oracleErrors("AgentEvent", payload), "AgentEvent"));
      break;
    case "exec.approval.requested": {
      const validate = recordedValidator("(pending approval)", pendingApproval);
      if (!validate(payload)) errors.push(...label(formatErrors(validate.errors), "exec.approval.requested"));
      break;
    }
    case "shutdown":
      errors.push(...label(oracleErrors("ShutdownEvent", payload), "ShutdownEvent"));
      break;
    case "presence": {
      const entries = payload?.presence;
      if (!Array.isArray(entries))
        errors.push(`presence event without a presence array: ${JSON.stringify(payload)}`);
      else
        for (const entry of entries)
          errors.push(...label(oracleErrors("PresenceEntry", entry), "PresenceEntry"));
      break;
    }
    case "connect.challenge":
      if (typeof payload?.nonce !== "string" || payload.nonce === "" || !Number.isInteger(payload.ts)) {
        errors.push(
          `connect.challenge payload must be { nonce: string, ts: integer }: ${JSON.stringify(payload)}`,
        );
      }
      break;
  }
  return errors;
}
