import { z } from "zod";
import { boundedJson, boundedRecord } from "../bounded-schemas.js";
import { lazySchemas } from "../lazy-schemas.js";
import { LIMITS } from "../limits.js";
import { contract } from "./contract.js";

/**
 * Bounds of `users.prefs.*`, as OpenClaw's: at most 32 entries per call, keys of 1-256 characters, each value at
 * most 4 KB of JSON. A gateway keeps at most {@link USER_PREFS_STORED_KEY_LIMIT} keys.
 */
export const USER_PREFS_LIMITS = {
  entriesPerCall: 32,
  keyChars: 256,
  valueBytes: 4096,
} as const;

/** Keys kept per gateway; a `users.prefs.set` that would go past it fails with USER_PREFS_LIMIT_EXCEEDED. */
export const USER_PREFS_STORED_KEY_LIMIT = 64;

/** OpenClaw's `details.code` values for the errors these methods answer. */
export const MiscCompatErrorDetailCodes = {
  USER_PREFS_LIMIT_EXCEEDED: "USER_PREFS_LIMIT_EXCEEDED",
  WIZARD_NOT_FOUND: "WIZARD_NOT_FOUND",
} as const;

function buildMiscCompatSchemas() {
  const reloadKind = z.enum(["restart", "hot", "none"]);
  const uiHint = z.object({
    label: z.string().optional(),
    help: z.string().optional(),
    group: z.string().optional(),
    order: z.int().optional(),
    advanced: z.boolean().optional(),
    sensitive: z.boolean().optional(),
    placeholder: z.string().optional(),
  });
  const ConfigSchemaLookupParamsSchema = z.object({
    path: z
      .string()
      .min(1)
      .max(1024)
      .regex(/^[A-Za-z0-9_./[\]\-*]+$/, "use a dotted config path such as gateway.auth or agents.list[0]"),
  });
  const ConfigSchemaLookupResultSchema = z.object({
    path: z.string().min(1),
    schema: z.unknown(),
    reloadKind: reloadKind.optional(),
    hint: uiHint.optional(),
    hintPath: z.string().optional(),
    children: z.array(
      z.object({
        key: z.string().min(1),
        path: z.string().min(1),
        type: z.union([z.string(), z.array(z.string())]).optional(),
        required: z.boolean(),
        hasChildren: z.boolean(),
        reloadKind: reloadKind.optional(),
        hint: uiHint.optional(),
        hintPath: z.string().optional(),
      }),
    ),
  });

  const prefKey = z.string().min(1).max(USER_PREFS_LIMITS.keyChars);
  // A value's size is checked against valueBytes by the handler (OpenClaw's `value-too-large`); this bounds parsing.
  const prefEntries = boundedRecord(prefKey, boundedJson(), USER_PREFS_LIMITS.entriesPerCall);
  const UsersPrefsGetParamsSchema = z
    .object({
      keys: z
        .array(prefKey)
        .max(USER_PREFS_LIMITS.entriesPerCall)
        .refine((keys) => new Set(keys).size === keys.length, "keys must be unique")
        .optional(),
    })
    .optional();
  const UsersPrefsGetResultSchema = z.union([
    z.object({ status: z.literal("ok"), entries: z.record(z.string(), z.unknown()) }),
    z.object({ status: z.literal("no_durable_identity") }),
  ]);
  /** `null` deletes a key; `expectedEntries` makes the write conditional (null = must be absent). */
  const UsersPrefsSetParamsSchema = z.object({
    entries: prefEntries,
    expectedEntries: prefEntries.optional(),
  });
  const UsersPrefsSetResultSchema = z.union([
    z.object({ status: z.literal("ok") }),
    z.object({ status: z.literal("conflict") }),
    z.object({ status: z.literal("no_durable_identity") }),
  ]);

  const UsageStatusParamsSchema = z.object({}).optional();
  const UsageStatusResultSchema = z.object({
    updatedAt: z.int().min(0),
    providers: z.array(
      z.object({
        provider: z.string(),
        displayName: z.string(),
        windows: z.array(z.never()),
        summary: z.string().optional(),
      }),
    ),
  });

  const id = z.string().min(1).max(LIMITS.idChars);
  const WizardStartParamsSchema = z.object({
    mode: z.enum(["local", "remote"]).optional(),
    workspace: z.string().max(LIMITS.pathChars).optional(),
    installDaemon: z.boolean().optional(),
    flow: z.enum(["setup", "channels"]).optional(),
    channel: id.optional(),
  });
  /** The only answer: the wizard ended at once with an error saying there is no hosted wizard here. */
  const WizardStartResultSchema = z.object({
    sessionId: z.string().min(1),
    done: z.literal(true),
    status: z.literal("error"),
    error: z.string(),
  });
  const WizardNextParamsSchema = z.object({
    sessionId: id,
    answer: z.object({ stepId: id, value: boundedJson().optional() }).optional(),
  });
  const WizardCancelParamsSchema = z.object({ sessionId: id, closeInput: z.boolean().optional() });
  const WizardStatusParamsSchema = z.object({ sessionId: id });
  /** Never answered with a result: no wizard session exists, so each call fails as OpenClaw's "wizard not found". */
  const WizardNotFoundResultSchema = z.never();

  return {
    ConfigSchemaLookupParamsSchema,
    ConfigSchemaLookupResultSchema,
    UsersPrefsGetParamsSchema,
    UsersPrefsGetResultSchema,
    UsersPrefsSetParamsSchema,
    UsersPrefsSetResultSchema,
    UsageStatusParamsSchema,
    UsageStatusResultSchema,
    WizardStartParamsSchema,
    WizardStartResultSchema,
    WizardNextParamsSchema,
    WizardCancelParamsSchema,
    WizardStatusParamsSchema,
    WizardNotFoundResultSchema,
  };
}

const schemas = lazySchemas(buildMiscCompatSchemas);
export const ConfigSchemaLookupParamsSchema = z.lazy(() => schemas().ConfigSchemaLookupParamsSchema);
export const ConfigSchemaLookupResultSchema = z.lazy(() => schemas().ConfigSchemaLookupResultSchema);
export const UsersPrefsGetParamsSchema = z.lazy(() => schemas().UsersPrefsGetParamsSchema);
export const UsersPrefsGetResultSchema = z.lazy(() => schemas().UsersPrefsGetResultSchema);
export const UsersPrefsSetParamsSchema = z.lazy(() => schemas().UsersPrefsSetParamsSchema);
export const UsersPrefsSetResultSchema = z.lazy(() => schemas().UsersPrefsSetResultSchema);
export const UsageStatusParamsSchema = z.lazy(() => schemas().UsageStatusParamsSchema);
export const UsageStatusResultSchema = z.lazy(() => schemas().UsageStatusResultSchema);
export const WizardStartParamsSchema = z.lazy(() => schemas().WizardStartParamsSchema);
export const WizardStartResultSchema = z.lazy(() => schemas().WizardStartResultSchema);
export const WizardNextParamsSchema = z.lazy(() => schemas().WizardNextParamsSchema);
export const WizardCancelParamsSchema = z.lazy(() => schemas().WizardCancelParamsSchema);
export const WizardStatusParamsSchema = z.lazy(() => schemas().WizardStatusParamsSchema);
export const WizardNotFoundResultSchema = z.lazy(() => schemas().WizardNotFoundResultSchema);
export type ConfigSchemaLookupResult = z.infer<typeof ConfigSchemaLookupResultSchema>;
export type UsageStatusResult = z.infer<typeof UsageStatusResultSchema>;

const NO_WIZARD = "no hosted setup wizard: set up by editing openclaw.json (or config.patch)";

/** Config lookup, user preferences, usage status and wizard methods OpenClaw's clients call, with its shapes. */
export const MISC_COMPAT_CONTRACTS = {
  "config.schema.lookup": contract(
    "operator.read",
    ConfigSchemaLookupParamsSchema,
    ConfigSchemaLookupResultSchema,
  ),
  "users.prefs.get": contract("operator.read", UsersPrefsGetParamsSchema, UsersPrefsGetResultSchema),
  "users.prefs.set": contract("operator.write", UsersPrefsSetParamsSchema, UsersPrefsSetResultSchema),
  "usage.status": contract("operator.read", UsageStatusParamsSchema, UsageStatusResultSchema, {
    unavailable: "no provider usage windows are fetched: each configured provider is listed with no windows",
  }),
  "wizard.start": contract("operator.admin", WizardStartParamsSchema, WizardStartResultSchema, {
    unavailable: `${NO_WIZARD}: answers done with status "error"`,
  }),
  "wizard.next": contract("operator.admin", WizardNextParamsSchema, WizardNotFoundResultSchema, {
    unavailable: `${NO_WIZARD}: fails with WIZARD_NOT_FOUND`,
  }),
  "wizard.cancel": contract("operator.admin", WizardCancelParamsSchema, WizardNotFoundResultSchema, {
    unavailable: `${NO_WIZARD}: fails with WIZARD_NOT_FOUND`,
  }),
  "wizard.status": contract("operator.admin", WizardStatusParamsSchema, WizardNotFoundResultSchema, {
    unavailable: `${NO_WIZARD}: fails with WIZARD_NOT_FOUND`,
  }),
} as const;
