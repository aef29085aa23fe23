import type { OpenClawConfig } from "../config/index.js";
import { openGatewayLogFile } from "../logging/gateway-log-file.js";
import {
  createConsoleLogSink,
  createLogger,
  type Logger,
  type LogLevel,
  type LogSink,
  toLogLevel,
} from "../logging/logger.js";
import { RunTraceIndex, traceRunLogRecords } from "../logging/run-log-context.js";

/** The gateway's logger and its JSON log file, re-pointed by a config reload without replacing the logger. */
export interface GatewayLogging {
  readonly logger: Logger;
  /** Where the JSON log lines go now (`logging.file`, default `<stateDir>/logs/gateway.log`). */
  readonly file: string;
  /** runId -> trace of recent runs: records of a run get `traceId` and `spanId` from it (fed by `run.accepted`). */
  readonly runTraces: RunTraceIndex;
  /**
   * Adds a sink (e.g. an OTLP log exporter) that receives every record from now on, redacted and with its run's
   * trace ids; returns its removal.
   */
  addSink(sink: LogSink): () => void;
  /** Applies a changed `logging` section: level (unless fixed by the caller), file and size. */
  apply(next: OpenClawConfig["logging"]): Promise<void>;
  close(): Promise<void>;
}

export interface GatewayLoggingOptions {
  stateDir: string;
  logging: OpenClawConfig["logging"];
  /** A logger of the caller's: records go to it instead (the log file is still created for `logs.tail`). */
  logger?: Logger;
  /** A fixed level: config changes to `logging.level` are then ignored. */
  level?: LogLevel;
  /** Human-readable lines on stderr as well as the JSON file. */
  console?: boolean;
}

/**
 * `logging.file`, `logging.level` and `logging.maxFileBytes` apply while running: the sink and the level are looked
 * up on every record, so a reload swaps them without touching the loggers handed out.
 */
export function openGatewayLogging(o: GatewayLoggingOptions): GatewayLogging {
  const fileLog = openGatewayLogFile(o.stateDir, o.logging);
  let level: LogLevel = o.level ?? toLogLevel(o.logging.level) ?? "info";
  const runTraces = new RunTraceIndex();
  let sinks: readonly LogSink[] = o.console ? [fileLog.sink, createConsoleLogSink()] : [fileLog.sink];
  const fanOut: LogSink = (record) => {
    for (const sink of sinks) sink(record);
  };
  const logger =
    o.logger ??
    createLogger({
      level: () => level,
      sinks: [traceRunLogRecords(runTraces, fanOut)],
    });
  return {
    logger,
    runTraces,
    get file() {
      return fileLog.path;
    },
    addSink(sink) {
      sinks = [...sinks, sink];
      return () => {
        sinks = sinks.filter((each) => each !== sink);
      };
    },
    async apply(next) {
      if (!o.level) level = toLogLevel(next.level) ?? "info";
      await fileLog.apply(next, logger);
    },
    close: () => fileLog.close(),
  };
}
