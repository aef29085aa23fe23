import type { OpenClawConfig } from "../config/index.js";
import { openGatewayLogFile } from "../logging/gateway-log-file.js";
import {
  createConsoleLogSink,
  createLogger,
  type Logger,
  type LogLevel,
  toLogLevel,
} from "../logging/logger.js";

/** The gateway's logger and its JSON log file, re-pointed by a config reload without replacing the logger. */
export interface GatewayLogging {
  readonly logger: Logger;
  /** Where the JSON log lines go now (`logging.file`, default `<stateDir>/logs/gateway.log`). */
  readonly file: string;
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
  const logger =
    o.logger ??
    createLogger({
      level: () => level,
      sinks: o.console ? [fileLog.sink, createConsoleLogSink()] : [fileLog.sink],
    });
  return {
    logger,
    get file() {
      return fileLog.path;
    },
    async apply(next) {
      if (!o.level) level = toLogLevel(next.level) ?? "info";
      await fileLog.apply(next, logger);
    },
    close: () => fileLog.close(),
  };
}
