import { z } from "zod";

/** OpenClaw's SecretRef: where a credential is read from instead of being written into the config. */
export const SecretRefSchema = z
  .looseObject({
    source: z.enum(["env", "file", "exec", "store"]),
    provider: z.string().optional(),
    id: z.string().min(1),
  })
  .meta({
    title: "Secret reference",
    description: "Where to read the secret from instead of writing it here.",
  });
export type SecretRef = z.infer<typeof SecretRefSchema>;

/** A credential: the value itself, a `${ENV_VAR}` reference, or an OpenClaw SecretRef object. */
export const SecretValueSchema = z.union([z.string(), SecretRefSchema], {
  error: 'expected a string or a secret reference such as { source: "env", id: "MY_VAR" }',
});
export type SecretValue = z.infer<typeof SecretValueSchema>;
