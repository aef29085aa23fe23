import { createHash } from "node:crypto";
import type { CronSchedule, CronTimeSchedule } from "@openclaw/protocol";
import { CronError } from "./cron-error.js";

type CronerModule = typeof import("croner");
let croner: Promise<CronerModule> | undefined;

/** croner is imported on first use: a gateway without cron-expression jobs never loads it. */
function loadCroner(): Promise<CronerModule> {
  croner ??= import("croner");
  return croner;
}

/** What a schedule's times depend on besides the schedule itself. */
export interface ScheduleContext {
  /** The job's id: it seeds the job's fixed stagger offset. */
  id: string;
  /** The anchor of an `every` schedule without `anchorMs`. */
  createdAtMs: number;
}

const OFFSETLESS_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;

/** An `at` timestamp in ms: ISO 8601, where a date-time without an offset is UTC, as in OpenClaw. */
export function parseAtMs(at: string): number | undefined {
  const text = at.trim();
  const ms = Date.parse(OFFSETLESS_DATETIME.test(text) ? `${text}Z` : text);
  return Number.isFinite(ms) ? ms : undefined;
}

export function isTimeSchedule(schedule: CronSchedule): schedule is CronTimeSchedule {
  return schedule.kind === "at" || schedule.kind === "every" || schedule.kind === "cron";
}

/**
 * Checks that a schedule can run here: a parseable `at`, a cron expression croner accepts in a time zone it
 * knows. Throws `CRON_INVALID_SCHEDULE` or `CRON_UNSUPPORTED` with the fix.
 */
export async function validateSchedule(schedule: CronSchedule): Promise<CronTimeSchedule> {
  if (!isTimeSchedule(schedule)) {
    throw new CronError(
      "CRON_UNSUPPORTED",
      `schedule kind "${schedule.kind}" is not supported by this gateway: use "at", "every" or "cron"`,
    );
  }
  if (schedule.kind === "at" && parseAtMs(schedule.at) === undefined) {
    throw new CronError(
      "CRON_INVALID_SCHEDULE",
      `schedule.at "${schedule.at}" is not a timestamp: use ISO 8601, e.g. 2027-02-01T16:00:00Z`,
    );
  }
  if (schedule.kind === "cron") {
    const { Cron } = await loadCroner();
    try {
      new Cron(schedule.expr, { paused: true, ...(schedule.tz ? { timezone: schedule.tz } : {}) }).nextRun();
    } catch (error) {
      throw new CronError(
        "CRON_INVALID_SCHEDULE",
        `cron expression "${schedule.expr}"${schedule.tz ? ` in time zone "${schedule.tz}"` : ""} is invalid: ${(error as Error).message} — use 5 or 6 fields (e.g. "0 9 * * 1-5") and an IANA zone (e.g. "Europe/Vienna")`,
        { cause: error },
      );
    }
  }
  return schedule;
}

/**
 * The first slot strictly after `afterMs`, or undefined when there is none (an `at` that has passed). An `at`
 * schedule has one slot; `every` counts from its anchor; `cron` asks croner, shifted by the job's stagger.
 */
export async function nextSlotAfter(
  schedule: CronTimeSchedule,
  afterMs: number,
  context: ScheduleContext,
): Promise<number | undefined> {
  switch (schedule.kind) {
    case "at": {
      const at = parseAtMs(schedule.at);
      return at !== undefined && at > afterMs ? at : undefined;
    }
    case "every": {
      const anchor = schedule.anchorMs ?? context.createdAtMs;
      if (afterMs < anchor) return anchor;
      return anchor + (Math.floor((afterMs - anchor) / schedule.everyMs) + 1) * schedule.everyMs;
    }
    case "cron": {
      const { Cron } = await loadCroner();
      const offset = staggerOffset(context.id, schedule.staggerMs);
      const cron = new Cron(schedule.expr, {
        paused: true,
        ...(schedule.tz ? { timezone: schedule.tz } : {}),
      });
      const next = cron.nextRun(new Date(afterMs - offset));
      return next ? next.getTime() + offset : undefined;
    }
  }
}

/** Slots in (`fromMs`, `toMs`], counted up to `cap`: how many runs a stopped gateway missed. */
export async function countSlotsBetween(
  schedule: CronTimeSchedule,
  fromMs: number,
  toMs: number,
  context: ScheduleContext,
  cap = 1_000,
): Promise<number> {
  if (schedule.kind === "at") return 0;
  if (schedule.kind === "every") {
    const anchor = schedule.anchorMs ?? context.createdAtMs;
    const index = (ms: number) => (ms < anchor ? -1 : Math.floor((ms - anchor) / schedule.everyMs));
    return Math.min(cap, Math.max(0, index(toMs) - index(fromMs)));
  }
  let count = 0;
  let cursor = fromMs;
  while (count < cap) {
    const next = await nextSlotAfter(schedule, cursor, context);
    if (next === undefined || next > toMs) break;
    count += 1;
    cursor = next;
  }
  return count;
}

/** A fixed per-job offset within `staggerMs`, so jobs sharing an expression do not all fire at once. */
function staggerOffset(jobId: string, staggerMs: number | undefined): number {
  if (!staggerMs || staggerMs <= 0) return 0;
  return createHash("sha256").update(jobId).digest().readUInt32BE(0) % staggerMs;
}
