import { join, resolve } from "node:path";
import type { Logger, LogSink } from "./logger.js";
import { createRotatingFileLogSink, DEFAULT_LOG_MAX_FILE_BYTES } from "./rotating-file-sink.js";

export interface LogFileSettings {
  /** `logging.file`; relative paths are under the state dir. Default `<stateDir>/logs/gateway.log`. */
  file?: string;
  maxFileBytes?: number;
}

/** The gateway's JSON log file. Its `sink` stays the same object while `apply` moves or resizes the file. */
export interface GatewayLogFile {
  readonly path: string;
  readonly sink: LogSink;
  /** Applies changed `logging.*` settings: the next record goes to the new file; queued ones finish in the old. */
  apply(settings: LogFileSettings, logger: Logger): Promise<void>;
  close(): Promise<void>;
}

export function openGatewayLogFile(stateDir: string, settings: LogFileSettings): GatewayLogFile {
  const pathFor = (next: LogFileSettings) =>
    next.file ? resolve(stateDir, next.file) : join(stateDir, "logs", "gateway.log");
  let path = pathFor(settings);
  let file = createRotatingFileLogSink(path, { maxFileBytes: settings.maxFileBytes });
  return {
    get path() {
      return path;
    },
    sink: (record) => file.sink(record),
    async apply(next, logger) {
      const nextPath = pathFor(next);
      if (nextPath === path) {
        file.setMaxFileBytes(next.maxFileBytes ?? DEFAULT_LOG_MAX_FILE_BYTES);
        return;
      }
      logger.info("log file moved", { to: nextPath });
      const previous = file;
      const from = path;
      file = createRotatingFileLogSink(nextPath, { maxFileBytes: next.maxFileBytes });
      path = nextPath;
      await previous.close();
      logger.info("log file continues here", { from });
    },
    close: () => file.close(),
  };
}
