import type {
  CronJob,
  CronListResult,
  CronRunResult,
  CronRunsResult,
  CronSchedule,
} from "@openclaw/protocol";
import { CliError } from "../../cli-error.js";
import { callGateway, type TargetOptions } from "../../gateway-target.js";
import { formatTable, type Output, printJson } from "../../output.js";
import { buildCronAddParams, type CronAddFlags } from "./cron-add-params.js";

interface ReadOptions extends TargetOptions {
  json?: boolean;
}

function describeSchedule(schedule: CronSchedule): string {
  switch (schedule.kind) {
    case "cron":
      return `cron ${schedule.expr}${schedule.tz ? ` (${schedule.tz})` : ""}`;
    case "every":
      return `every ${formatDuration(schedule.everyMs)}`;
    case "at":
      return `at ${schedule.at}`;
    default:
      return schedule.kind;
  }
}

function formatDuration(ms: number): string {
  const units: [string, number][] = [
    ["d", 86_400_000],
    ["h", 3_600_000],
    ["m", 60_000],
    ["s", 1_000],
    ["ms", 1],
  ];
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of units) {
    if (rest < size) continue;
    parts.push(`${Math.floor(rest / size)}${unit}`);
    rest %= size;
  }
  return parts.join(" ") || "0ms";
}

const formatTime = (ms: number | undefined) => (ms === undefined ? "-" : new Date(ms).toISOString());

function delivery(job: CronJob): string {
  const target = job.delivery;
  if (!target || target.mode === "none" || !target.channel) return "-";
  return `${target.channel}:${target.to ?? "?"}`;
}

/** `openclaw cron list`: enabled jobs by next run (`--all` adds disabled ones). */
export async function runCronList(options: ReadOptions & { all?: boolean }, output: Output) {
  const result = (await callGateway(options, "cron.list", {
    includeDisabled: options.all === true,
    limit: 200,
  })) as CronListResult;
  if (options.json) {
    printJson(output, result);
    return 0;
  }
  if (result.jobs.length === 0) {
    output.out(
      options.all
        ? 'no cron jobs: add one with openclaw cron add --name <name> --cron "<expr>" --message <text>'
        : "no enabled cron jobs (--all shows disabled ones)",
    );
    return 0;
  }
  output.out(
    formatTable(
      ["ID", "NAME", "SCHEDULE", "NEXT RUN", "LAST", "DELIVERY"],
      result.jobs.map((job) => [
        job.id,
        job.enabled ? job.name : `${job.name} (disabled)`,
        describeSchedule(job.schedule),
        formatTime(job.nextRunAtMs),
        job.lastRunStatus ?? "-",
        delivery(job),
      ]),
    ),
  );
  return 0;
}

export async function runCronAdd(options: ReadOptions & CronAddFlags, output: Output) {
  const params = buildCronAddParams(options, Date.now());
  const job = (await callGateway(options, "cron.add", params)) as CronJob;
  if (options.json) {
    printJson(output, job);
    return 0;
  }
  output.out(`added cron job ${job.id} (${job.name}) · ${describeSchedule(job.schedule)}`);
  output.out(
    job.nextRunAtMs === undefined ? "not scheduled (disabled)" : `next run ${formatTime(job.nextRunAtMs)}`,
  );
  return 0;
}

export async function runCronRemove(id: string, options: ReadOptions, output: Output) {
  const result = await callGateway(options, "cron.remove", { id });
  if (options.json) printJson(output, result);
  else output.out(`removed cron job ${id}`);
  return 0;
}

/** `openclaw cron run <id>`: starts a run now (`--due`: only when the job is due) and prints its run id. */
export async function runCronRun(id: string, options: ReadOptions & { due?: boolean }, output: Output) {
  const result = (await callGateway(options, "cron.run", {
    id,
    mode: options.due ? "due" : "force",
  })) as CronRunResult;
  if (options.json) {
    printJson(output, result);
    return 0;
  }
  if (!result.enqueued) {
    output.out(`not run: ${result.reason}`);
    return result.reason === "not-due" ? 0 : 1;
  }
  output.out(`started run ${result.runId}: follow it with openclaw cron runs ${id}`);
  return 0;
}

export async function runCronRuns(id: string, options: ReadOptions & { limit?: string }, output: Output) {
  const limit = options.limit === undefined ? 20 : Number(options.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) {
    throw new CliError("--limit must be a whole number from 1 to 200", 2);
  }
  const result = (await callGateway(options, "cron.runs", { id, limit })) as CronRunsResult;
  if (options.json) {
    printJson(output, result);
    return 0;
  }
  if (result.entries.length === 0) {
    output.out(`no runs of ${id} yet`);
    return 0;
  }
  output.out(
    formatTable(
      ["RAN AT", "STATUS", "DELIVERY", "DURATION", "SUMMARY"],
      result.entries.map((entry) => [
        formatTime(entry.runAtMs ?? entry.ts),
        entry.status ?? "-",
        entry.deliveryStatus ?? "-",
        entry.durationMs === undefined ? "-" : formatDuration(entry.durationMs),
        (entry.error ?? entry.summary ?? "").replace(/\s+/g, " ").slice(0, 60),
      ]),
    ),
  );
  return 0;
}
