export interface FormattedLogLine {
  text: string;
  /** `debug`, `info`, `warn`, `error`... when the line is one of the gateway's JSON records. */
  level?: string;
}

/**
 * The gateway's log file holds one JSON record a line (`ts`, `level`, `msg`, then fields). Shown as
 * `12:45:34 info  gateway listening url=ws://… bind=loopback`; anything else is shown as it is.
 */
export function formatLogLine(line: string): FormattedLogLine {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    return { text: line };
  }
  if (typeof record !== "object" || record === null || Array.isArray(record)) return { text: line };
  const { ts, level, msg, ...fields } = record as Record<string, unknown>;
  if (typeof msg !== "string") return { text: line };
  const time =
    typeof ts === "string" && /T(\d\d:\d\d:\d\d)/.test(ts) ? (/T(\d\d:\d\d:\d\d)/.exec(ts)?.[1] ?? "") : "";
  const levelText = typeof level === "string" ? level : "";
  const rest = Object.entries(fields).map(([key, value]) => `${key}=${fieldText(value)}`);
  const text = [time, levelText.padEnd(5), msg, ...rest].filter((part) => part !== "").join(" ");
  return levelText ? { text, level: levelText } : { text };
}

function fieldText(value: unknown): string {
  if (typeof value === "string") return /\s/.test(value) || value === "" ? JSON.stringify(value) : value;
  return JSON.stringify(value) ?? String(value);
}
