import { z } from "zod";
import { boundedJson } from "../bounded-schemas.js";
import { lazySchemas } from "../lazy-schemas.js";
import { LIMITS } from "../limits.js";

/**
 * The field schemas the cron job shapes (`cron-job.ts`) and the cron method contracts (`cron.ts`) share, built
 * once on first use. Internal to the protocol package: not exported from its index.
 */
export const cronFields = lazySchemas(() => {
  const id = z.string().min(1).max(LIMITS.idChars);
  const nonBlank = z.string().min(1).max(LIMITS.keyChars).regex(/\S/);
  return {
    epochMs: z.int().min(0).max(8_640_000_000_000_000),
    nonBlank,
    jobIdString: z.string().min(1).max(LIMITS.idChars),
    id,
    sessionKey: z.string().min(1).max(LIMITS.keyChars),
    jobName: z.string().min(1).max(LIMITS.keyChars),
    description: z.string().max(LIMITS.textChars),
    message: z.string().min(1).max(LIMITS.messageChars),
    idList: z.array(z.string().max(LIMITS.idChars)).max(LIMITS.listItems),
    threadId: z.union([z.string().max(LIMITS.idChars), z.number()]),
    sortDir: z.enum(["asc", "desc"]),
    /** A delivery channel: a channel id, or `last` (OpenClaw: the channel the session last used). */
    channelRef: z.union([z.literal("last"), nonBlank]),
  };
});

/** A kind this gateway does not run: its other fields parse (bounded) and are refused later. */
export function foreignKind<K extends string>(kind: K) {
  return z.object({ kind: z.literal(kind) }).catchall(boundedJson());
}
