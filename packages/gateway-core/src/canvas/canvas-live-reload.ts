import { type FSWatcher, mkdirSync, watch } from "node:fs";
import type { ServerResponse } from "node:http";

/** At most this many pages follow live reload at once; one more is answered 503. */
export const MAX_LIVE_RELOAD_CLIENTS = 64;
/** Changes closer together than this (an editor's write, rename and chmod) cause one reload. */
export const LIVE_RELOAD_DEBOUNCE_MS = 80;
const KEEPALIVE_MS = 25_000;

export interface LiveReloadLogger {
  warn(message: string, fields?: Record<string, unknown>): void;
}

/**
 * One recursive watcher on the canvas folder, started by the first page that listens and closed with the last, and
 * the pages listening over Server-Sent Events. Each burst of changes sends one `reload` event to every page.
 */
export class CanvasLiveReload {
  readonly #clients = new Set<ServerResponse>();
  #watcher: FSWatcher | undefined;
  #watchedRoot: string | undefined;
  #debounce: NodeJS.Timeout | undefined;
  #keepalive: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(private readonly logger: LiveReloadLogger) {}

  get clientCount(): number {
    return this.#clients.size;
  }

  /** Starts an event stream on `response`; false when the limit is reached or the host is closing. */
  subscribe(response: ServerResponse, root: string): boolean {
    if (this.#closed || this.#clients.size >= MAX_LIVE_RELOAD_CLIENTS) return false;
    this.#watch(root);
    response.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
      // The page runs in a sandbox (an opaque origin): it may read this stream, which carries nothing but "reload".
      "access-control-allow-origin": "*",
    });
    response.write("retry: 1000\n\n");
    this.#clients.add(response);
    response.on("close", () => this.#drop(response));
    this.#keepalive ??= setInterval(() => {
      for (const client of this.#clients) client.write(": keepalive\n\n");
    }, KEEPALIVE_MS);
    this.#keepalive.unref();
    return true;
  }

  /** Ends every stream and the watcher: the gateway is stopping. */
  close(): void {
    this.#closed = true;
    for (const client of this.#clients) client.end();
    this.#clients.clear();
    this.#stop();
  }

  #watch(root: string): void {
    if (this.#watcher && this.#watchedRoot === root) return;
    this.#watcher?.close();
    this.#watcher = undefined;
    try {
      // The folder a user has not made yet is made, so the first file they put there reloads the page.
      mkdirSync(root, { recursive: true });
      this.#watcher = watch(root, { recursive: true, persistent: false }, () => this.#changed());
      this.#watcher.on("error", (error) => {
        this.logger.warn("canvas live reload stopped watching", { root, error: error.message });
        this.#watcher?.close();
        this.#watcher = undefined;
      });
      this.#watchedRoot = root;
    } catch (error) {
      // Pages still load without live reload; the next page to listen tries again.
      this.logger.warn("canvas live reload cannot watch the folder", {
        root,
        error: (error as Error).message,
      });
    }
  }

  #changed(): void {
    clearTimeout(this.#debounce);
    this.#debounce = setTimeout(() => {
      for (const client of this.#clients) client.write("event: reload\ndata: {}\n\n");
    }, LIVE_RELOAD_DEBOUNCE_MS);
  }

  #drop(response: ServerResponse): void {
    this.#clients.delete(response);
    if (this.#clients.size === 0) this.#stop();
  }

  #stop(): void {
    clearTimeout(this.#debounce);
    clearInterval(this.#keepalive);
    this.#keepalive = undefined;
    this.#watcher?.close();
    this.#watcher = undefined;
    this.#watchedRoot = undefined;
  }
}
