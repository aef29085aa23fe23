import { z } from "zod";

const SsrfPolicySchema = z.looseObject({
  dangerouslyAllowPrivateNetwork: z.boolean().optional(),
  /** OpenClaw's legacy alias of dangerouslyAllowPrivateNetwork. */
  allowPrivateNetwork: z.boolean().optional(),
  allowedHostnames: z.array(z.string().max(253)).max(1000).optional(),
  blockedHostnames: z.array(z.string().max(253)).max(1000).optional(),
  allowRfc2544BenchmarkRange: z.boolean().optional(),
  allowIpv6UniqueLocalRange: z.boolean().optional(),
});

const ProfileSchema = z.looseObject({
  executablePath: z.string().min(1).max(4096).optional(),
  headless: z.boolean().optional(),
});

/** The keys of OpenClaw's `browser` config section this package honours; the others are kept and ignored. */
export const BrowserSettingsSchema = z.looseObject({
  enabled: z.boolean().optional(),
  executablePath: z.string().min(1).max(4096).optional(),
  headless: z.boolean().optional(),
  noSandbox: z.boolean().optional(),
  extraArgs: z.array(z.string().max(4096)).max(100).optional(),
  defaultProfile: z.string().min(1).max(64).optional(),
  profiles: z.record(z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/), ProfileSchema).optional(),
  ssrfPolicy: SsrfPolicySchema.optional(),
});

export type BrowserSettings = z.infer<typeof BrowserSettingsSchema>;
export type BrowserSsrfPolicy = z.infer<typeof SsrfPolicySchema>;

/** The managed profile every agent gets when the config names none. */
export const DEFAULT_PROFILE = "openclaw";

/** One profile's launch settings: the profile's own values over the section's, then this package's defaults. */
export interface ResolvedProfile {
  name: string;
  executablePath?: string;
  headless: boolean;
  headlessSource: "profile" | "config" | "env" | "default";
  noSandbox: boolean;
  extraArgs: readonly string[];
  color: string;
}

export function resolveProfile(
  settings: BrowserSettings,
  name: string,
  env: NodeJS.ProcessEnv,
): ResolvedProfile | undefined {
  const own = settings.profiles?.[name];
  if (!own && name !== DEFAULT_PROFILE) return undefined;
  const envHeadless = env.OPENCLAW_BROWSER_HEADLESS;
  // A server has no display: headless unless the config (or the env) asks for a window.
  const [headless, headlessSource] =
    envHeadless === "1" || envHeadless === "0"
      ? [envHeadless === "1", "env" as const]
      : own?.headless !== undefined
        ? [own.headless, "profile" as const]
        : settings.headless !== undefined
          ? [settings.headless, "config" as const]
          : [true, "default" as const];
  const executablePath = own?.executablePath ?? settings.executablePath;
  return {
    name,
    ...(executablePath ? { executablePath } : {}),
    headless,
    headlessSource,
    noSandbox: settings.noSandbox ?? false,
    extraArgs: settings.extraArgs ?? [],
    color: "#FF4500",
  };
}
