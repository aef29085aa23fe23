import { z } from "zod";
import { boundedRecord } from "../bounded-schemas.js";
import { lazySchemas } from "../lazy-schemas.js";
import { LIMITS } from "../limits.js";

/** Built on first use (see lazySchemas). */
function buildSkillsSchemas() {
  const SkillRequirementsSchema = z.object({
    bins: z.array(z.string()),
    anyBins: z.array(z.string()),
    env: z.array(z.string()),
    config: z.array(z.string()),
    os: z.array(z.string()),
  });

  const SkillOriginSchema = z.union([
    z.object({ version: z.literal(1), kind: z.literal("local"), path: z.string(), installedAt: z.string() }),
    z.object({
      version: z.literal(1),
      kind: z.literal("npm"),
      spec: z.string(),
      packageName: z.string().optional(),
      packageVersion: z.string().optional(),
      integrity: z.string().optional(),
      installedAt: z.string(),
    }),
  ]);

  const SkillStatusEntrySchema = z.object({
    name: z.string(),
    description: z.string(),
    source: z.string(),
    filePath: z.string(),
    baseDir: z.string(),
    skillKey: z.string(),
    primaryEnv: z.string().optional(),
    emoji: z.string().optional(),
    homepage: z.string().optional(),
    always: z.boolean(),
    disabled: z.boolean(),
    blockedByAllowlist: z.boolean(),
    eligible: z.boolean(),
    requirements: SkillRequirementsSchema,
    missing: SkillRequirementsSchema,
    configChecks: z.array(z.object({ path: z.string(), satisfied: z.boolean() })),
    install: z.array(
      z.object({
        id: z.string(),
        kind: z.string(),
        label: z.string().optional(),
        bins: z.array(z.string()),
        os: z.array(z.string()).optional(),
      }),
    ),
    error: z.string().optional(),
    reason: z.string().optional(),
    origin: SkillOriginSchema.optional(),
  });

  const id = z.string().min(1).max(LIMITS.idChars);

  const SkillsStatusParamsSchema = z
    .object({ agentId: id.optional(), sessionKey: z.string().min(1).max(LIMITS.keyChars).optional() })
    .optional();

  const SkillsStatusResultSchema = z.object({
    agentId: z.string(),
    workspaceDir: z.string(),
    managedSkillsDir: z.string(),
    skills: z.array(SkillStatusEntrySchema),
  });

  const timeoutMs = z.int().min(1000).optional();

  /** OpenClaw's three install modes (ClawHub, uploaded archive, dependency installer) are accepted and refused. */
  const SkillsInstallOracleParamsSchema = z.union([
    z.object({
      agentId: id.optional(),
      source: z.literal("clawhub"),
      slug: id,
      version: id.optional(),
      force: z.boolean().optional(),
      timeoutMs,
    }),
    z.object({
      agentId: id.optional(),
      source: z.literal("upload"),
      uploadId: id,
      slug: id,
      force: z.boolean().optional(),
      sha256: z
        .string()
        .length(64)
        .regex(/^[a-fA-F0-9]{64}$/)
        .optional(),
      timeoutMs,
    }),
    z.object({
      agentId: id.optional(),
      name: id,
      installId: id,
      dangerouslyForceUnsafeInstall: z.boolean().optional(),
      timeoutMs,
    }),
  ]);

  /** Our install modes: a directory on the gateway host, or an npm package spec (registry name or local .tgz). */
  const SkillsInstallLocalParamsSchema = z.object({
    agentId: id.optional(),
    source: z.literal("local"),
    path: z.string().min(1).max(LIMITS.pathChars),
    as: id.optional(),
    force: z.boolean().optional(),
    timeoutMs,
  });
  const SkillsInstallNpmParamsSchema = z.object({
    agentId: id.optional(),
    source: z.literal("npm"),
    spec: z.string().min(1).max(LIMITS.pathChars),
    as: id.optional(),
    force: z.boolean().optional(),
    timeoutMs,
  });

  const SkillsInstallParamsSchema = z.union([
    SkillsInstallLocalParamsSchema,
    SkillsInstallNpmParamsSchema,
    SkillsInstallOracleParamsSchema,
  ]);

  const SkillsInstallResultSchema = z.object({
    ok: z.literal(true),
    name: z.string(),
    targetDir: z.string(),
    replaced: z.boolean(),
    origin: SkillOriginSchema,
    message: z.string(),
  });

  /** Re-install one (`slug`) or every (`all`) skill from the source recorded at install time. */
  const SkillsUpdateInstalledParamsSchema = z.object({
    agentId: id.optional(),
    source: z.literal("installed"),
    slug: id.optional(),
    all: z.boolean().optional(),
  });

  const SkillsUpdateParamsSchema = z.union([
    SkillsUpdateInstalledParamsSchema,
    z.object({
      agentId: id.optional(),
      source: z.literal("clawhub"),
      slug: id.optional(),
      all: z.boolean().optional(),
      force: z.boolean().optional(),
    }),
    z.object({
      skillKey: id,
      enabled: z.boolean().optional(),
      apiKey: z.string().max(LIMITS.secretChars).optional(),
      env: boundedRecord(z.string().max(LIMITS.idChars), z.string().max(LIMITS.textChars)).optional(),
    }),
  ]);

  const SkillUpdateOutcomeSchema = z.union([
    z.object({
      name: z.string(),
      ok: z.literal(true),
      targetDir: z.string(),
      origin: SkillOriginSchema,
      message: z.string(),
    }),
    z.object({
      name: z.string(),
      ok: z.literal(false),
      error: z.object({ code: z.string(), message: z.string() }),
    }),
  ]);

  const SkillsUpdateResultSchema = z.union([
    /** Re-install mode: one outcome per skill; `ok` is false when any skill failed. */
    z.object({ ok: z.boolean(), results: z.array(SkillUpdateOutcomeSchema) }),
    /** Config mode: the patched `skills.entries.<skillKey>`, with the API key reported as set or not, never echoed. */
    z.object({
      ok: z.literal(true),
      skillKey: z.string(),
      config: z.object({
        enabled: z.boolean().optional(),
        hasApiKey: z.boolean(),
        env: z.array(z.string()).optional(),
      }),
    }),
  ]);

  return {
    SkillStatusEntrySchema,
    SkillsStatusParamsSchema,
    SkillsStatusResultSchema,
    SkillsInstallLocalParamsSchema,
    SkillsInstallNpmParamsSchema,
    SkillsInstallParamsSchema,
    SkillsInstallResultSchema,
    SkillsUpdateInstalledParamsSchema,
    SkillsUpdateParamsSchema,
    SkillsUpdateResultSchema,
  };
}

const schemas = lazySchemas(buildSkillsSchemas);

export const SkillStatusEntrySchema = z.lazy(() => schemas().SkillStatusEntrySchema);
export const SkillsStatusParamsSchema = z.lazy(() => schemas().SkillsStatusParamsSchema);
export const SkillsStatusResultSchema = z.lazy(() => schemas().SkillsStatusResultSchema);
export const SkillsInstallLocalParamsSchema = z.lazy(() => schemas().SkillsInstallLocalParamsSchema);
export const SkillsInstallNpmParamsSchema = z.lazy(() => schemas().SkillsInstallNpmParamsSchema);
export const SkillsInstallParamsSchema = z.lazy(() => schemas().SkillsInstallParamsSchema);
export const SkillsInstallResultSchema = z.lazy(() => schemas().SkillsInstallResultSchema);
export const SkillsUpdateInstalledParamsSchema = z.lazy(() => schemas().SkillsUpdateInstalledParamsSchema);
export const SkillsUpdateParamsSchema = z.lazy(() => schemas().SkillsUpdateParamsSchema);
export const SkillsUpdateResultSchema = z.lazy(() => schemas().SkillsUpdateResultSchema);

export type SkillStatusEntry = z.infer<typeof SkillStatusEntrySchema>;
export type SkillsStatusParams = z.infer<typeof SkillsStatusParamsSchema>;
export type SkillsStatusResult = z.infer<typeof SkillsStatusResultSchema>;
export type SkillsInstallParams = z.infer<typeof SkillsInstallParamsSchema>;
export type SkillsInstallResult = z.infer<typeof SkillsInstallResultSchema>;
export type SkillsUpdateParams = z.infer<typeof SkillsUpdateParamsSchema>;
export type SkillsUpdateResult = z.infer<typeof SkillsUpdateResultSchema>;
