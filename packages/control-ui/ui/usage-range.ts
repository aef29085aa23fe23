/** The Usage screen's preset ranges, each ending today; "custom" takes two dates. */
export const USAGE_PRESETS = ["today", "7d", "30d", "90d"] as const;
export type UsagePreset = (typeof USAGE_PRESETS)[number];

export const USAGE_PRESET_LABELS: Record<UsagePreset, string> = {
  today: "Today",
  "7d": "7d",
  "30d": "30d",
  "90d": "90d",
};

const PRESET_DAYS: Record<UsagePreset, number> = { today: 1, "7d": 7, "30d": 30, "90d": 90 };

/** The longest custom range the screen asks for: a year of daily bars is still readable. */
export const MAX_CUSTOM_DAYS = 366;

const DAY_MS = 86_400_000;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** What the Usage screen shows, as kept in its address (`#/usage/<query>`), so a reload or a link keeps it. */
export interface UsageQuery {
  range: UsagePreset | "custom";
  /** Custom range only: first and last day, `YYYY-MM-DD`, both included. */
  from?: string;
  to?: string;
  /** One agent's usage; absent means every agent. */
  agentId?: string;
}

export interface UsageDateRange {
  startDate: string;
  endDate: string;
  /** Days in the range, both ends included. */
  days: number;
}

export const DEFAULT_USAGE_QUERY: UsageQuery = { range: "7d" };

/** Milliseconds at UTC midnight of a `YYYY-MM-DD` day, or undefined when it is no real calendar day. */
export function dayStartMs(day: string): number | undefined {
  if (!ISO_DAY.test(day)) return undefined;
  const ms = Date.parse(`${day}T00:00:00Z`);
  if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== day) return undefined;
  return ms;
}

/** `day` moved by `offset` days (negative goes back). */
export function addDays(day: string, offset: number): string {
  const start = dayStartMs(day);
  if (start === undefined) throw new RangeError(`not a YYYY-MM-DD day: ${day}`);
  return new Date(start + offset * DAY_MS).toISOString().slice(0, 10);
}

/** The calendar day of `now` where the browser is: the screen asks the gateway for days in the same zone. */
export function localDay(now: Date): string {
  const month = String(now.getMonth() + 1).padStart(2, "0");
  const day = String(now.getDate()).padStart(2, "0");
  return `${now.getFullYear()}-${month}-${day}`;
}

/** The browser's IANA time zone (e.g. `Europe/Paris`), or undefined when it reports none. */
export function browserTimeZone(): string | undefined {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return zone === "" ? undefined : zone;
}

/** Every day from `startDate` to `endDate`, both included, oldest first. */
export function daysBetween(startDate: string, endDate: string): string[] {
  const start = dayStartMs(startDate);
  const end = dayStartMs(endDate);
  if (start === undefined || end === undefined || end < start) return [];
  const days: string[] = [];
  for (let ms = start; ms <= end; ms += DAY_MS) days.push(new Date(ms).toISOString().slice(0, 10));
  return days;
}

/**
 * The dates a query asks for, given today's date. A custom range must be two real days, in order, not in the
 * future and at most `MAX_CUSTOM_DAYS` long; otherwise the answer says what to change.
 */
export function resolveUsageRange(query: UsageQuery, today: string): UsageDateRange | { error: string } {
  if (query.range !== "custom") {
    const days = PRESET_DAYS[query.range];
    return { startDate: addDays(today, -(days - 1)), endDate: today, days };
  }
  const start = query.from === undefined ? undefined : dayStartMs(query.from);
  const end = query.to === undefined ? undefined : dayStartMs(query.to);
  if (start === undefined || end === undefined || query.from === undefined || query.to === undefined)
    return { error: "Pick both a first and a last day for a custom range." };
  if (end < start) return { error: "The first day of the range comes after the last day: swap them." };
  const days = Math.round((end - start) / DAY_MS) + 1;
  if (days > MAX_CUSTOM_DAYS)
    return { error: `A custom range spans at most ${MAX_CUSTOM_DAYS} days; this one spans ${days}.` };
  return { startDate: query.from, endDate: query.to, days };
}

/** `range=30d&agent=ops` -> `{ range: "30d", agentId: "ops" }`; anything unknown falls back to the default. */
export function parseUsageQuery(param: string | undefined): UsageQuery {
  if (param === undefined) return { ...DEFAULT_USAGE_QUERY };
  const search = new URLSearchParams(param);
  const range = search.get("range");
  const agentId = search.get("agent") ?? undefined;
  const agent = agentId === undefined || agentId === "" ? {} : { agentId };
  if (range === "custom") {
    const from = search.get("from") ?? undefined;
    const to = search.get("to") ?? undefined;
    return { range, ...(from ? { from } : {}), ...(to ? { to } : {}), ...agent };
  }
  const preset = USAGE_PRESETS.find((candidate) => candidate === range) ?? DEFAULT_USAGE_QUERY.range;
  return { range: preset, ...agent };
}

/** The inverse of `parseUsageQuery`: the route parameter for a query. */
export function formatUsageQuery(query: UsageQuery): string {
  const search = new URLSearchParams({ range: query.range });
  if (query.range === "custom") {
    if (query.from) search.set("from", query.from);
    if (query.to) search.set("to", query.to);
  }
  if (query.agentId) search.set("agent", query.agentId);
  return search.toString();
}
