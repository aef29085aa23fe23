import { z } from "zod";
import { positiveInt } from "./schema-numbers.js";

/** `logging`: level, file and rotation size; all three apply while running (a reload swaps them). */
export const LoggingSchema = z
  .looseObject({
    level: z
      .enum(["silent", "fatal", "error", "warn", "info", "debug", "trace"])
      .default("info")
      .meta({ title: "Log level" }),
    file: z.string().min(1).optional().meta({ title: "Log file" }),
    maxFileBytes: positiveInt().optional().meta({
      title: "Max log file size (bytes)",
      description:
        "The log file rotates when the next line would pass this size; five archives are kept. Default 100 MiB.",
    }),
  })
  .meta({ title: "Logging" });
