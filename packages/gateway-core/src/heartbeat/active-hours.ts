import type { ActiveHours } from "./heartbeat-settings.js";

function minutesOf(clock: string): number {
  const [hours, minutes] = clock.split(":").map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}

/** Minutes since midnight at `at` in `timeZone` (the host's zone when undefined). */
function minuteOfDay(at: number, timeZone: string | undefined): number {
  const parts = new Intl.DateTimeFormat("en-GB", {
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    ...(timeZone ? { timeZone } : {}),
  }).formatToParts(at);
  const hour = Number(parts.find((part) => part.type === "hour")?.value ?? 0);
  const minute = Number(parts.find((part) => part.type === "minute")?.value ?? 0);
  return hour * 60 + minute;
}

/**
 * Whether `at` falls inside the window, in the window's zone (else `fallbackZone`, else the host's). A window that
 * ends before it starts runs over midnight; a window whose start equals its end is empty, as in OpenClaw.
 */
export function isWithinActiveHours(at: number, hours: ActiveHours, fallbackZone?: string): boolean {
  const start = minutesOf(hours.start);
  const end = minutesOf(hours.end);
  if (start === end) return false;
  const now = minuteOfDay(at, hours.timezone ?? fallbackZone);
  return start < end ? now >= start && now < end : now >= start || now < end;
}

/** Throws a RangeError naming the zone when it is not a zone this runtime knows. */
export function assertTimeZone(timeZone: string): void {
  new Intl.DateTimeFormat("en-GB", { timeZone });
}
