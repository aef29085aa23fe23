import {
  closeSync,
  createWriteStream,
  fchmodSync,
  fstatSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  type WriteStream,
} from "node:fs";
import { dirname } from "node:path";
import type { LogSink } from "./logger.js";

/** OpenClaw's `logging.maxFileBytes` default: 100 MiB. */
export const DEFAULT_LOG_MAX_FILE_BYTES = 100 * 1024 * 1024;

/** OpenClaw keeps five numbered archives beside the active log file. */
export const DEFAULT_LOG_MAX_ARCHIVES = 5;

export class LogFileError extends Error {
  override readonly name = "LogFileError";
  readonly code = "LOG_FILE_INVALID_OPTION";
}

export interface RotatingFileLogSinkOptions {
  /** Rotate when the next line would take the active file past this size. Default 100 MiB. */
  maxFileBytes?: number;
  /** Archives kept (`<file>.1` newest to `<file>.<n>` oldest); older ones are deleted. Default 5. */
  maxArchives?: number;
}

export interface RotatingFileLogSink {
  sink: LogSink;
  /** Flushes what is queued and closes the file; later records are dropped. */
  close(): Promise<void>;
  /** Applies a hot-reloaded `logging.maxFileBytes` from the next record on. */
  setMaxFileBytes(maxFileBytes: number): void;
}

function checkPositiveInt(name: string, value: number, fix: string): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new LogFileError(`${name} must be a positive integer (got ${value}): ${fix}`);
  }
}

const FIX_MAX_FILE_BYTES = "set logging.maxFileBytes to a size in bytes, such as 104857600";

/**
 * Appends one JSON object per line to `path` (the format `logs.tail` reads) and rotates it: when the next line would
 * pass `maxFileBytes`, `path` becomes `path.1`, `path.1` becomes `path.2` and so on, the oldest archive is deleted,
 * and writing goes on in a fresh `path`. A single line larger than the limit still gets written, alone in its file.
 *
 * The size is tracked in memory, so the hot path is one `JSON.stringify` and one buffered write. The file is opened
 * synchronously and renamed while its descriptor stays open: lines still queued for the old file land in the
 * archive it became, so none is lost or reordered by a rotation.
 */
export function createRotatingFileLogSink(
  path: string,
  options: RotatingFileLogSinkOptions = {},
): RotatingFileLogSink {
  let maxFileBytes = options.maxFileBytes ?? DEFAULT_LOG_MAX_FILE_BYTES;
  const maxArchives = options.maxArchives ?? DEFAULT_LOG_MAX_ARCHIVES;
  checkPositiveInt("maxFileBytes", maxFileBytes, FIX_MAX_FILE_BYTES);
  checkPositiveInt("maxArchives", maxArchives, "keep at least one archive");
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });

  let stream: WriteStream;
  let size = 0;
  let closed = false;
  const retiring = new Set<Promise<void>>();

  const openActive = () => {
    const fd = openSync(path, "a", 0o600);
    try {
      // A file left by an older run, or created by hand, may be readable by others; log lines are not for them.
      fchmodSync(fd, 0o600);
      size = fstatSync(fd).size;
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    stream = createWriteStream(path, { fd, autoClose: true });
    stream.on("error", () => {
      // A full disk or a removed log folder must not take the gateway down; console logging goes on.
    });
  };

  const retire = (old: WriteStream) => {
    // "close" comes after the queued lines are written and the descriptor is released (or after a write error).
    const done = new Promise<void>((resolve) => old.once("close", () => resolve()));
    old.end();
    retiring.add(done);
    void done.then(() => retiring.delete(done));
  };

  const rotate = () => {
    const old = stream;
    try {
      rmSync(`${path}.${maxArchives}`, { force: true });
      for (let index = maxArchives - 1; index >= 1; index -= 1)
        renameIfPresent(`${path}.${index}`, `${path}.${index + 1}`);
      renameSync(path, `${path}.1`);
      openActive();
    } catch {
      // Could not rotate (permissions, disk): keep appending to the current file and try again after another
      // `maxFileBytes`, rather than attempting renames on every line.
      stream = old;
      size = 0;
      return;
    }
    retire(old);
  };

  openActive();

  return {
    sink: (record) => {
      if (closed) return;
      const line = `${JSON.stringify(record)}\n`;
      const bytes = Buffer.byteLength(line);
      if (size > 0 && size + bytes > maxFileBytes) rotate();
      stream.write(line);
      size += bytes;
    },
    close: async () => {
      if (!closed) {
        closed = true;
        retire(stream);
      }
      await Promise.all(retiring);
    },
    setMaxFileBytes: (next) => {
      checkPositiveInt("maxFileBytes", next, FIX_MAX_FILE_BYTES);
      maxFileBytes = next;
    },
  };
}

function renameIfPresent(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}
