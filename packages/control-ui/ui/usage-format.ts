/**
 * Numbers on the Usage screen are written the same way in every browser (`1,234`, `$0.0210`), whatever its
 * language: the screen is in English, and a figure must read the same in a screenshot, a test and a bug report.
 */
const TOKENS = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const COMPACT = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });
const DOLLARS = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});
const CENTS = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  minimumFractionDigits: 4,
  maximumFractionDigits: 4,
});

/** `12345` -> `12,345`. */
export function formatTokens(count: number): string {
  return TOKENS.format(count);
}

/** `12345` -> `12.3K`, for chart labels where space is short. */
export function formatTokensShort(count: number): string {
  return COMPACT.format(count);
}

/**
 * US dollars: two decimals from a dollar up, four below (a turn of a small model costs fractions of a cent, and
 * `$0.00` would hide it). Zero is `$0.00`.
 */
export function formatCost(dollars: number): string {
  if (dollars === 0) return DOLLARS.format(0);
  return Math.abs(dollars) >= 1 ? DOLLARS.format(dollars) : CENTS.format(dollars);
}

/** `2026-12-07` -> `Dec 7`, read as a calendar day (no time zone shift). */
export function formatDay(day: string): string {
  const ms = Date.parse(`${day}T00:00:00Z`);
  if (!Number.isFinite(ms)) return day;
  return new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" }).format(ms);
}
