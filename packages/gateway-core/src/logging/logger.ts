export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";
const LEVEL_ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** Maps OpenClaw's `logging.level` values onto ours (trace is debug, fatal is error). */
export function toLogLevel(level: string | undefined): LogLevel | undefined {
  switch (level) {
    case "trace":
    case "debug":
      return "debug";
    case "info":
    case "warn":
    case "error":
    case "silent":
      return level;
    case "fatal":
      return "error";
    default:
      return undefined;
  }
}

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(bindings: LogFields): Logger;
}

export interface LogRecord {
  ts: string;
  level: LogLevel;
  msg: string;
  [field: string]: unknown;
}

export type LogSink = (record: LogRecord) => void;

const SECRET_KEY = /token|password|secret|api[-_]?key|authorization|cookie/i;
export const REDACTED = "[redacted]";

/** Replaces the value of every secret-looking field, however deep, so no log line ever carries a credential. */
export function redactLogFields(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== "object") return value;
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (Array.isArray(value)) return value.map((item) => redactLogFields(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) && field !== undefined ? REDACTED : redactLogFields(field, depth + 1);
  }
  return out;
}

/**
 * `level` may be a function, read on every record, so a hot-reloaded `logging.level` reaches every logger already
 * handed out (children included).
 */
export function createLogger(options: {
  level?: LogLevel | (() => LogLevel);
  sinks: LogSink[];
  bindings?: LogFields;
}): Logger {
  const configured = options.level ?? "info";
  const threshold =
    typeof configured === "function" ? () => LEVEL_ORDER[configured()] : () => LEVEL_ORDER[configured];
  const bindings = options.bindings ?? {};
  const emit = (level: Exclude<LogLevel, "silent">, message: string, fields?: LogFields) => {
    if (LEVEL_ORDER[level] < threshold()) return;
    const record = {
      ts: new Date().toISOString(),
      level,
      msg: message,
      ...(redactLogFields({ ...bindings, ...fields }) as LogFields),
    };
    for (const sink of options.sinks) sink(record);
  };
  return {
    debug: (message, fields) => emit("debug", message, fields),
    info: (message, fields) => emit("info", message, fields),
    warn: (message, fields) => emit("warn", message, fields),
    error: (message, fields) => emit("error", message, fields),
    child: (extra) => createLogger({ ...options, bindings: { ...bindings, ...extra } }),
  };
}

/** Human-readable lines for a terminal: `12:00:01 info  gateway listening port=18789`. */
export function createConsoleLogSink(stream: NodeJS.WritableStream = process.stderr): LogSink {
  return (record) => {
    const { ts, level, msg, ...fields } = record;
    const extras = Object.entries(fields)
      .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`)
      .join(" ");
    stream.write(`${ts.slice(11, 19)} ${level.padEnd(5)} ${msg}${extras ? ` ${extras}` : ""}\n`);
  };
}

export const silentLogger: Logger = createLogger({ sinks: [] });
