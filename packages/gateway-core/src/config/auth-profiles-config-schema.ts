import { z } from "zod";

const ProfileIdSchema = z.string().min(1).max(128);
const ProviderIdSchema = z.string().min(1).max(64);

/**
 * `auth.profiles.<id>`: what a stored credential is for (OpenClaw keeps the secret itself in the agent's profile
 * store, `openclaw-agent.sqlite` or the older `auth-profiles.json`, never in openclaw.json).
 */
const AuthProfileMetaSchema = z
  .looseObject({
    provider: ProviderIdSchema.meta({ title: "Model provider" }),
    mode: z.enum(["api_key", "token", "oauth", "aws-sdk"]).optional().meta({
      title: "Credential kind",
      description:
        'api_key and token profiles are used; "oauth" and "aws-sdk" are not supported by this gateway.',
    }),
    email: z.string().optional(),
  })
  .meta({ title: "Auth profile" });

/** OpenClaw's `auth` section: model provider credentials by profile, and the order profiles are tried in. */
export const AuthConfigSchema = z
  .looseObject({
    profiles: z.record(ProfileIdSchema, AuthProfileMetaSchema).optional().meta({
      title: "Auth profiles",
      description:
        'Profile id (e.g. "anthropic:work") -> { provider, mode }. The secrets live in the profile store.',
    }),
    order: z.record(ProviderIdSchema, z.array(ProfileIdSchema).max(64)).optional().meta({
      title: "Profile order",
      description:
        "provider -> profile ids, tried in order; the first usable one supplies the key. Unlisted profiles are not used.",
    }),
  })
  .meta({ title: "Model auth" });
export type AuthConfig = z.infer<typeof AuthConfigSchema>;

const EnvSecretProviderSchema = z.looseObject({ source: z.literal("env") });
const FileSecretProviderSchema = z.looseObject({
  source: z.literal("file"),
  path: z.string().min(1).meta({ title: "Secrets file" }),
  mode: z.enum(["json", "singleValue"]).optional().meta({
    title: "File format",
    description:
      'json (default): the id is a JSON pointer such as "/providers/openai/apiKey"; singleValue: the whole file.',
  }),
  timeoutMs: z.number().optional(),
});
const ExecSecretProviderSchema = z.looseObject({ source: z.literal("exec"), command: z.string().min(1) });

/**
 * OpenClaw's `secrets` section as far as this gateway resolves SecretRefs: env and file providers. Exec providers
 * are accepted and reported; a ref to one stays unresolved.
 */
export const SecretsConfigSchema = z
  .looseObject({
    providers: z
      .record(
        z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/, { error: "expected a provider name such as filemain" }),
        z.discriminatedUnion("source", [
          EnvSecretProviderSchema,
          FileSecretProviderSchema,
          ExecSecretProviderSchema,
        ]),
      )
      .optional()
      .meta({ title: "Secret providers" }),
    defaults: z
      .looseObject({
        env: z.string().optional(),
        file: z.string().optional(),
        exec: z.string().optional(),
      })
      .optional()
      .meta({ title: "Default secret providers", description: "Used by a SecretRef without provider." }),
  })
  .meta({ title: "Secrets" });
export type SecretsConfig = z.infer<typeof SecretsConfigSchema>;
