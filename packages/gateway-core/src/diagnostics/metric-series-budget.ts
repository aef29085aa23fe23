/**
 * The Prometheus exporter's label policy and series cap (OpenClaw's: 2048 series across every metric). Both exist so
 * that nothing a user or a platform controls can grow the exporter's memory or a scrape without bound.
 */

/** OpenClaw's cap on retained series (one per metric and label set; a histogram counts once). */
export const MAX_PROMETHEUS_SERIES = 2048;

const MAX_LABEL_CHARS = 96;
/** Ids, model names ("gpt-4o-mini", "llama3:8b", "anthropic/claude-x"), method names ("sessions.list"). */
const SAFE_LABEL = /^[A-Za-z0-9][A-Za-z0-9_.:@/+-]*$/;
/** A session key (`agent:<id>:<rest>`) is never a label, whatever field it arrived in. */
const SESSION_KEY_LIKE = /^agent:[^:]+:/i;
const UUID_LIKE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The value as a label, or `fallback` when it is missing, too long, has characters outside the policy, or looks
 * like a session key or a random id (a run id, a chat id that leaked into a bounded field).
 */
export function boundedLabel(value: string | undefined, fallback = "unknown"): string {
  if (value === undefined || value === "") return fallback;
  if (value.length > MAX_LABEL_CHARS || !SAFE_LABEL.test(value)) return fallback;
  if (SESSION_KEY_LIKE.test(value) || UUID_LIKE.test(value)) return fallback;
  return value;
}

/** Counts the series the exporter holds and refuses new ones past the cap. */
export class SeriesBudget {
  readonly #seen = new Set<string>();

  constructor(
    private readonly cap: number,
    /** Called once per refused new series (the exporter counts them in `openclaw_prometheus_series_dropped_total`). */
    private readonly onDropped: () => void,
  ) {}

  get size(): number {
    return this.#seen.size;
  }

  /** Whether the series `metric{labels}` may be updated: it exists already, or there is room for it. */
  admit(metric: string, labels: Readonly<Record<string, string>>): boolean {
    let key = metric;
    for (const name in labels) key += `\u0000${name}=${labels[name]}`;
    if (this.#seen.has(key)) return true;
    if (this.#seen.size >= this.cap) {
      this.onDropped();
      return false;
    }
    this.#seen.add(key);
    return true;
  }
}
