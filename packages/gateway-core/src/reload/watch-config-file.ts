import { type FSWatcher, watch } from "node:fs";
import { basename, dirname } from "node:path";

export class ConfigWatchError extends Error {
  override readonly name = "ConfigWatchError";
  readonly code = "CONFIG_WATCH_FAILED";
}

export interface WatchConfigFileOptions {
  /** Quiet time after the last file event before `onSettled` runs; editors write in bursts. Default 300 ms. */
  debounceMs?: number;
  /** Called when the watcher fails after it started (for example the folder was removed); watching stops. */
  onError?: (error: Error) => void;
}

export interface ConfigFileWatcher {
  close(): void;
}

/**
 * Calls `onSettled` once per burst of changes to `path`. The parent folder is watched, not the file: editors save by
 * writing a temp file and renaming it over the original, which would leave a watch on the file itself on the old,
 * unlinked inode. For the same reason a deleted and recreated file is still followed.
 *
 * The watcher does not keep the process alive and never reads the file: `onSettled` loads and validates it.
 */
export function watchConfigFile(
  path: string,
  onSettled: () => void | Promise<void>,
  options: WatchConfigFileOptions = {},
): ConfigFileWatcher {
  const debounceMs = options.debounceMs ?? 300;
  const folder = dirname(path);
  const name = basename(path);
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const settle = () => {
    timer = undefined;
    if (closed) return;
    try {
      const result = onSettled();
      if (result instanceof Promise) result.catch((error: unknown) => options.onError?.(asError(error)));
    } catch (error) {
      options.onError?.(asError(error));
    }
  };

  let watcher: FSWatcher;
  try {
    watcher = watch(folder, { persistent: false }, (_event, filename) => {
      // Some platforms omit the name; then any change in the folder may be ours.
      if (closed || (filename !== null && filename !== name)) return;
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(settle, debounceMs);
      timer.unref();
    });
  } catch (error) {
    throw new ConfigWatchError(
      `cannot watch ${folder} for config changes (${asError(error).message}): create the folder or set gateway.reload.mode to "off"`,
    );
  }

  const close = () => {
    if (closed) return;
    closed = true;
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    watcher.close();
  };
  watcher.on("error", (error) => {
    close();
    options.onError?.(error);
  });
  return { close };
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
