import type { CronAddParams } from "@openclaw/protocol";
import { CliError } from "../../cli-error.js";

/** The flags of `openclaw cron add`, as commander hands them over. */
export interface CronAddFlags {
  name?: string;
  cron?: string;
  every?: string;
  at?: string;
  tz?: string;
  message?: string;
  systemEvent?: string;
  session?: string;
  agent?: string;
  model?: string;
  timeoutSeconds?: string;
  channel?: string;
  to?: string;
  account?: string;
  disabled?: boolean;
  keepAfterRun?: boolean;
  description?: string;
}

const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90s`, `10m`, `1h30m`, `1d` in milliseconds; anything else is a usage error naming the flag. */
export function parseDuration(text: string, flag: string): number {
  const compact = text.trim().toLowerCase();
  const parts = [...compact.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)];
  if (compact === "" || parts.map((part) => part[0]).join("") !== compact) {
    throw new CliError(`${flag} "${text}" is not a duration: use e.g. 90s, 10m, 1h30m or 1d`, 2);
  }
  const ms = parts.reduce((sum, part) => sum + Number(part[1]) * (UNITS[part[2] ?? ""] ?? 0), 0);
  if (!Number.isFinite(ms) || ms < 1) throw new CliError(`${flag} must be longer than 0`, 2);
  return Math.round(ms);
}

const OFFSETLESS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;

/** The UTC offset of `timeZone` at `atMs`, in ms (positive east of Greenwich). */
function zoneOffsetMs(timeZone: string, atMs: number): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(atMs));
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value);
  const asUtc = Date.UTC(
    get("year"),
    get("month") - 1,
    get("day"),
    get("hour"),
    get("minute"),
    get("second"),
  );
  return asUtc - Math.floor(atMs / 1000) * 1000;
}

/**
 * `--at`: an ISO timestamp, or a duration from now (`20m`). A timestamp without an offset is UTC, or wall-clock
 * time in `--tz` when given, as in OpenClaw.
 */
export function resolveAt(text: string, tz: string | undefined, nowMs: number): string {
  const value = text.trim();
  if (/^\d+(?:\.\d+)?(ms|s|m|h|d)/i.test(value) && !value.includes("-")) {
    return new Date(nowMs + parseDuration(value, "--at")).toISOString();
  }
  if (OFFSETLESS.test(value) && tz) {
    let guess: number;
    try {
      const wall = Date.parse(`${value}Z`);
      guess = wall - zoneOffsetMs(tz, wall);
      guess = wall - zoneOffsetMs(tz, guess);
    } catch {
      throw new CliError(`--tz "${tz}" is not a time zone: use an IANA name such as Europe/Vienna`, 2);
    }
    return new Date(guess).toISOString();
  }
  const ms = Date.parse(OFFSETLESS.test(value) ? `${value}Z` : value);
  if (!Number.isFinite(ms)) {
    throw new CliError(
      `--at "${text}" is not a time: use an ISO timestamp (2027-02-01T16:00:00Z) or a duration (20m)`,
      2,
    );
  }
  return new Date(ms).toISOString();
}

/** Builds `cron.add` params from the flags, refusing contradictory or missing ones with the fix. */
export function buildCronAddParams(flags: CronAddFlags, nowMs: number): CronAddParams {
  if (!flags.name?.trim()) throw new CliError("cron add needs --name <name>", 2);
  const schedules = [flags.cron, flags.every, flags.at].filter((value) => value !== undefined);
  if (schedules.length !== 1) {
    throw new CliError(
      'cron add needs exactly one schedule: --cron "<expr>", --every <duration> or --at <when>',
      2,
    );
  }
  if (flags.tz && flags.every) throw new CliError("--tz does not apply to --every: drop it", 2);
  let schedule: CronAddParams["schedule"];
  if (flags.cron !== undefined)
    schedule = { kind: "cron", expr: flags.cron, ...(flags.tz ? { tz: flags.tz } : {}) };
  else if (flags.every !== undefined)
    schedule = { kind: "every", everyMs: parseDuration(flags.every, "--every") };
  else schedule = { kind: "at", at: resolveAt(flags.at ?? "", flags.tz, nowMs) };

  if ((flags.message === undefined) === (flags.systemEvent === undefined)) {
    throw new CliError(
      "cron add needs exactly one of --message <text> (an agent turn) or --system-event <text>",
      2,
    );
  }
  let payload: CronAddParams["payload"];
  if (flags.message !== undefined) {
    payload = {
      kind: "agentTurn",
      message: flags.message,
      ...(flags.model ? { model: flags.model } : {}),
      ...(flags.timeoutSeconds !== undefined ? { timeoutSeconds: parseSeconds(flags.timeoutSeconds) } : {}),
    };
  } else {
    payload = { kind: "systemEvent", text: flags.systemEvent ?? "" };
  }

  const session = flags.session ?? "isolated";
  if (session !== "main" && session !== "isolated" && !session.startsWith("session:")) {
    throw new CliError('--session must be "main", "isolated" or "session:<key>"', 2);
  }
  const params: CronAddParams = {
    name: flags.name.trim(),
    schedule,
    sessionTarget: session,
    wakeMode: "now",
    payload,
  };
  if (flags.description) params.description = flags.description;
  if (flags.agent) params.agentId = flags.agent;
  if (flags.disabled) params.enabled = false;
  if (flags.keepAfterRun) params.deleteAfterRun = false;
  if (flags.channel !== undefined || flags.to !== undefined || flags.account !== undefined) {
    if (!flags.channel || !flags.to) {
      throw new CliError("delivering the answer needs both --channel <id> and --to <peer>", 2);
    }
    params.delivery = {
      mode: "announce",
      channel: flags.channel,
      to: flags.to,
      ...(flags.account ? { accountId: flags.account } : {}),
    };
  } else {
    params.delivery = { mode: "none" };
  }
  return params;
}

function parseSeconds(text: string): number {
  const seconds = Number(text);
  if (!Number.isInteger(seconds) || seconds < 0) {
    throw new CliError("--timeout-seconds must be a whole number of seconds (0 = no limit)", 2);
  }
  return seconds;
}
