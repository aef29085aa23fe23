import { z } from "zod";

/** `cron`: whether the scheduler runs and what happens to runs missed while the gateway was down. */
export const CronSchema = z
  .looseObject({
    enabled: z.boolean().default(true).meta({
      title: "Run scheduled jobs",
      description: "false pauses the scheduler without deleting jobs (so does OPENCLAW_SKIP_CRON=1).",
    }),
    skipMissedJobs: z.boolean().default(false).meta({
      title: "Skip runs missed while down",
      description:
        "By default each recurring job missed while the gateway was down runs once, shortly after start; true skips to the next slot.",
    }),
  })
  .meta({ title: "Scheduled jobs" });
