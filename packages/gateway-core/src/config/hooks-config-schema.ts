import { z } from "zod";

export const DEFAULT_HOOKS_PATH = "/hooks";
/** OpenClaw's body limit for the generic hook endpoints (256 KiB). */
export const DEFAULT_HOOK_MAX_BODY_BYTES = 256 * 1024;
/** OpenClaw's body-read timeout for hook requests. */
export const DEFAULT_HOOK_BODY_TIMEOUT_MS = 30_000;

/**
 * `hooks.*` as OpenClaw documents it. Only the keys the direct `/wake` and `/agent` endpoints use are typed;
 * mappings, presets, Gmail and internal hooks pass through untouched so an OpenClaw config file still loads.
 */
export const HooksConfigSchema = z
  .looseObject({
    enabled: z.boolean().optional(),
    /** Its own secret, never the gateway's: a leaked hook token must not open the operator API. */
    token: z.string().optional(),
    path: z.string().optional(),
    allowedAgentIds: z.array(z.string()).optional(),
    defaultSessionKey: z.string().optional(),
    allowRequestSessionKey: z.boolean().optional(),
    allowedSessionKeyPrefixes: z.array(z.string()).optional(),
  })
  .superRefine((hooks, context) => {
    if (hooks.enabled === true && (hooks.token ?? "").trim() === "") {
      context.addIssue({
        code: "custom",
        path: ["token"],
        message: "hooks.enabled is true but hooks.token is empty: set hooks.token to a long random value",
      });
    }
    if (hooks.path !== undefined && normalizeHooksPath(hooks.path) === "/") {
      context.addIssue({
        code: "custom",
        path: ["path"],
        message: 'hooks.path cannot be "/": use a dedicated subpath such as "/hooks"',
      });
    }
  });

export type HooksConfig = z.infer<typeof HooksConfigSchema>;

/** A leading slash added, trailing slashes removed, as OpenClaw does; empty means the default. */
export function normalizeHooksPath(path: string | undefined): string {
  const trimmed = (path ?? "").trim();
  if (trimmed === "") return DEFAULT_HOOKS_PATH;
  const withSlash = trimmed.startsWith("/") ? trimmed : `/${trimmed}`;
  const stripped = withSlash.replace(/\/+$/, "");
  return stripped === "" ? "/" : stripped;
}
