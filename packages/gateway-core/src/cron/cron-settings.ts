import type { CronSettings } from "./cron-service-options.js";

/**
 * `cron.enabled` and `cron.skipMissedJobs` from the config, and
 * `OPENCLAW_SKIP_CRON=1`, which pauses the scheduler like `cron.enabled: false`.
 */
export function readCronSettings(config: unknown, env: NodeJS.ProcessEnv): CronSettings {
  const section = (config as { cron?: unknown } | undefined)?.cron;
  const cron = section !== null && typeof section === "object" ? (section as Record<string, unknown>) : {};
  const skip = env.OPENCLAW_SKIP_CRON?.trim();
  return {
    enabled: cron.enabled !== false && !(skip === "1" || skip?.toLowerCase() === "true"),
    skipMissedJobs: cron.skipMissedJobs === true,
  };
}
