import { ErrorDetailCodes, GatewayError } from "@openclaw/protocol";

const DAY_MS = 86_400_000;
const DEFAULT_DAYS = 30;
const MAX_DAYS = 36_600;

/** How calendar days are read: a fixed offset from UTC (UTC itself is offset 0), or an IANA time zone. */
export type DayInterpretation = { kind: "offset"; minutes: number } | { kind: "zone"; timeZone: string };

export interface UsageRangeParams {
  startDate?: string;
  endDate?: string;
  days?: number;
  range?: "7d" | "30d" | "90d" | "1y" | "all";
  mode?: "utc" | "gateway" | "specific";
  timeZone?: string;
  utcOffset?: string;
}

/** A stretch of time with one UTC offset: its local days are day buckets of the database at that offset. */
export interface DaySegment {
  from: number;
  to: number;
  offsetMs: number;
}

/** A resolved range: inclusive epoch-ms bounds, its first and last calendar days, and how days are read. */
export interface UsageRange {
  startMs: number;
  endMs: number;
  startDate: string;
  endDate: string;
  days: number;
  interpretation: DayInterpretation;
  /** The local day of an instant, as YYYY-MM-DD. */
  dayOfMs(ms: number): string;
  /**
   * The range cut where the offset changes: one segment for a fixed offset, one more per daylight-saving change of
   * a time zone. A query per segment lets the database bucket days at a fixed offset even for a zone.
   */
  segments(): DaySegment[];
}

function invalid(message: string): GatewayError {
  return new GatewayError("INVALID_REQUEST", message, { details: { code: ErrorDetailCodes.INVALID_PARAMS } });
}

/** "UTC+5:30" as minutes east of UTC; undefined when malformed or beyond UTC-12:00..UTC+14:00. */
export function parseUtcOffset(raw: string | undefined): number | undefined {
  const match = /^UTC([+-])(\d{1,2})(?::([0-5]\d))?$/.exec(raw?.trim() ?? "");
  if (!match) return undefined;
  const minutes = (match[1] === "+" ? 1 : -1) * (Number(match[2]) * 60 + Number(match[3] ?? "0"));
  return minutes < -720 || minutes > 840 ? undefined : minutes;
}

function validTimeZone(timeZone: string): string | undefined {
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** OpenClaw's rule: UTC by default; "gateway" is this process's zone; "specific" takes timeZone, else utcOffset. */
export function dayInterpretation(params: UsageRangeParams): DayInterpretation {
  if (params.mode === "gateway") {
    return { kind: "zone", timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone ?? "UTC" };
  }
  if (params.mode !== "specific") return { kind: "offset", minutes: 0 };
  const offset = parseUtcOffset(params.utcOffset);
  if (params.timeZone !== undefined) {
    const timeZone = validTimeZone(params.timeZone);
    if (timeZone) return { kind: "zone", timeZone };
    if (offset !== undefined) return { kind: "offset", minutes: offset };
    throw invalid(
      `invalid timeZone "${params.timeZone}": expected an IANA time zone such as "Europe/Vienna"`,
    );
  }
  if (offset !== undefined) return { kind: "offset", minutes: offset };
  if (params.utcOffset !== undefined && params.utcOffset.trim() !== "") {
    throw invalid(
      `invalid utcOffset "${params.utcOffset}": expected UTC-12:00 through UTC+14:00, e.g. "UTC+5:30"`,
    );
  }
  return { kind: "offset", minutes: 0 };
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** One formatter per zone (there are a few hundred zones; building one costs far more than using it). */
const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

function offsetFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = offsetFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
    });
    offsetFormatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Minutes east of UTC that `timeZone` is at instant `ms`. */
function zoneOffsetMinutes(timeZone: string, ms: number): number {
  const parts = offsetFormatter(timeZone).formatToParts(new Date(ms));
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? "0");
  const local = Date.UTC(part("year"), part("month") - 1, part("day"), part("hour"), part("minute"));
  return Math.round((local - Math.floor(ms / 60_000) * 60_000) / 60_000);
}

/** The instant a calendar day starts (given as its UTC-midnight ms) in the interpretation. */
function dayStartMs(utcMidnight: number, interpretation: DayInterpretation): number {
  if (interpretation.kind === "offset") return utcMidnight - interpretation.minutes * 60_000;
  // Two passes settle the offset in force at local midnight (it differs from noon's around a DST change).
  let start = utcMidnight - zoneOffsetMinutes(interpretation.timeZone, utcMidnight) * 60_000;
  start = utcMidnight - zoneOffsetMinutes(interpretation.timeZone, start) * 60_000;
  return start;
}

const WEEK_MS = 7 * DAY_MS;

function offsetMsAt(interpretation: DayInterpretation, ms: number): number {
  return interpretation.kind === "offset"
    ? interpretation.minutes * 60_000
    : zoneOffsetMinutes(interpretation.timeZone, ms) * 60_000;
}

/** The first instant in (low, high] whose offset differs from low's (offsets change at most once in a week). */
function offsetChange(interpretation: DayInterpretation, low: number, high: number): number {
  const before = offsetMsAt(interpretation, low);
  let lo = low;
  let hi = high;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetMsAt(interpretation, mid) === before) lo = mid;
    else hi = mid;
  }
  return hi;
}

export function daySegments(interpretation: DayInterpretation, from: number, to: number): DaySegment[] {
  if (interpretation.kind === "offset") return [{ from, to, offsetMs: interpretation.minutes * 60_000 }];
  const segments: DaySegment[] = [];
  let start = from;
  let offsetMs = offsetMsAt(interpretation, start);
  for (let probe = start; probe < to; ) {
    const next = Math.min(to, probe + WEEK_MS);
    if (offsetMsAt(interpretation, next) !== offsetMs) {
      const change = offsetChange(interpretation, probe, next);
      segments.push({ from: start, to: change - 1, offsetMs });
      start = change;
      offsetMs = offsetMsAt(interpretation, change);
      probe = change;
    } else {
      probe = next;
    }
  }
  segments.push({ from: start, to, offsetMs });
  return segments;
}

function parseDay(raw: string, field: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
  const ms = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN;
  if (!match || Number.isNaN(ms) || isoDay(ms) !== raw) {
    throw invalid(`invalid ${field} "${raw}": expected a calendar date as YYYY-MM-DD`);
  }
  return ms;
}

const PRESET_DAYS = { "7d": 7, "30d": 30, "90d": 90, "1y": 365, all: "all" } as const;

/**
 * The range asked for, as OpenClaw resolves it: `startDate`..`endDate` (both or neither) in the interpretation's
 * calendar, else `range`, else the last `days` days (default 30) up to today.
 */
export function resolveUsageRange(params: UsageRangeParams, now: number): UsageRange {
  const interpretation = dayInterpretation(params);
  const dayOfMs = (ms: number) => isoDay(ms + offsetMsAt(interpretation, ms));
  if ((params.startDate === undefined) !== (params.endDate === undefined)) {
    throw invalid("startDate and endDate must be given together (or neither, for the last `days` days)");
  }
  const today = parseDay(dayOfMs(now), "today");
  let first: number;
  let last: number;
  if (params.startDate !== undefined && params.endDate !== undefined) {
    first = parseDay(params.startDate, "startDate");
    last = parseDay(params.endDate, "endDate");
    if (first > last) throw invalid(`startDate ${params.startDate} is after endDate ${params.endDate}`);
  } else {
    const preset = params.range === undefined ? undefined : PRESET_DAYS[params.range];
    last = today;
    first =
      preset === "all"
        ? 0
        : today - (Math.min(MAX_DAYS, Math.max(1, preset ?? params.days ?? DEFAULT_DAYS)) - 1) * DAY_MS;
  }
  const startMs = first === 0 ? 0 : Math.max(0, dayStartMs(first, interpretation));
  const endMs = dayStartMs(last + DAY_MS, interpretation) - 1;
  return {
    startMs,
    endMs,
    startDate: isoDay(first),
    endDate: isoDay(last),
    days: Math.round((last - first) / DAY_MS) + 1,
    interpretation,
    dayOfMs,
    segments: () => daySegments(interpretation, startMs, endMs),
  };
}
