import { resolveCanvasTarget } from "./canvas-target.js";

/** How long a page has to load, or to answer an eval or snapshot, before the command fails. */
const PAGE_TIMEOUT_MS = 15_000;

export class CanvasSurfaceError extends Error {
  constructor(
    readonly code: "INVALID_REQUEST" | "UNAVAILABLE" | "TIMEOUT" | "PAGE_ERROR",
    message: string,
  ) {
    super(message);
    this.name = "CanvasSurfaceError";
  }
}

export interface CanvasSurfaceState {
  visible: boolean;
  /** The gateway path shown (without the capability prefix), or undefined before the first page. */
  path?: string;
}

interface PendingCall {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * The Control UI's canvas surface: one sandboxed iframe (an opaque origin: the page cannot reach the UI or its
 * credential) showing pages of the gateway's canvas host, driven by the node commands OpenClaw's canvas panel answers
 * (`present`, `hide`, `navigate`) and by `eval` and `snapshot`, which the page's host-injected script answers over
 * `postMessage`.
 */
export class CanvasSurface {
  readonly #frame: HTMLIFrameElement;
  readonly #pending = new Map<string, PendingCall>();
  readonly #listeners = new Set<(state: CanvasSurfaceState) => void>();
  #state: CanvasSurfaceState = { visible: false };
  #sequence = 0;

  constructor(
    frame: HTMLIFrameElement,
    /** A capability prefix (`/__openclaw__/cap/<id>`) for the frame's URLs, or "" where none is needed. */
    private readonly capabilityPrefix: () => Promise<string>,
    private readonly origin: string = location.origin,
  ) {
    this.#frame = frame;
    window.addEventListener("message", this.#onMessage);
  }

  get state(): CanvasSurfaceState {
    return this.#state;
  }

  onChange(listener: (state: CanvasSurfaceState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Shows the panel; with a target, navigates to it first. */
  async present(target?: string): Promise<CanvasSurfaceState> {
    if (target !== undefined || this.#state.path === undefined) await this.navigate(target ?? "");
    this.#set({ ...this.#state, visible: true });
    return this.#state;
  }

  hide(): CanvasSurfaceState {
    this.#set({ ...this.#state, visible: false });
    return this.#state;
  }

  /** Loads a canvas page: checked first (a missing file fails the command instead of showing a 404 page). */
  async navigate(target: string): Promise<CanvasSurfaceState> {
    const resolved = resolveCanvasTarget(target, this.origin);
    if (!resolved.ok) throw new CanvasSurfaceError("INVALID_REQUEST", resolved.error);
    const url = `${await this.capabilityPrefix()}${resolved.path}`;
    const check = await fetch(url, { method: "HEAD", cache: "no-store" }).catch((error: unknown) => {
      throw new CanvasSurfaceError("UNAVAILABLE", `the canvas host did not answer: ${String(error)}`);
    });
    if (!check.ok) {
      throw new CanvasSurfaceError(
        check.status === 404 ? "INVALID_REQUEST" : "UNAVAILABLE",
        check.status === 404
          ? `${resolved.path} is not in the canvas folder`
          : `the canvas host answered HTTP ${check.status} for ${resolved.path}`,
      );
    }
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#frame.removeEventListener("load", onLoad);
        reject(new CanvasSurfaceError("TIMEOUT", `${resolved.path} did not load in 15 s`));
      }, PAGE_TIMEOUT_MS);
      const onLoad = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.#frame.addEventListener("load", onLoad, { once: true });
      this.#frame.src = url;
    });
    this.#set({ ...this.#state, path: resolved.path });
    return this.#state;
  }

  /** Runs JavaScript in the page and returns its value as text (JSON for objects), as `canvas.eval` answers. */
  async eval(javaScript: string): Promise<{ result: string }> {
    return (await this.#call("eval", { javaScript })) as { result: string };
  }

  /** Draws the page into an image: `{ format, base64, width, height }`. */
  async snapshot(params: { format?: string; maxWidth?: number; quality?: number }): Promise<unknown> {
    return this.#call("snapshot", params);
  }

  dispose(): void {
    window.removeEventListener("message", this.#onMessage);
    for (const pending of this.#pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(new CanvasSurfaceError("UNAVAILABLE", "the canvas panel was closed"));
    }
    this.#pending.clear();
    this.#listeners.clear();
  }

  #call(command: "eval" | "snapshot", params: unknown): Promise<unknown> {
    const target = this.#frame.contentWindow;
    if (this.#state.path === undefined || target === null) {
      return Promise.reject(
        new CanvasSurfaceError("UNAVAILABLE", "no canvas page is open: present or navigate first"),
      );
    }
    this.#sequence += 1;
    const id = `canvas-${this.#sequence}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new CanvasSurfaceError("TIMEOUT", `the canvas page did not answer ${command} in 15 s`));
      }, PAGE_TIMEOUT_MS);
      this.#pending.set(id, { resolve, reject, timer });
      // The page's origin is opaque (sandboxed), so no narrower target origin can match it.
      target.postMessage({ type: "openclaw:canvas:request", id, command, params }, "*");
    });
  }

  readonly #onMessage = (event: MessageEvent): void => {
    if (event.source !== this.#frame.contentWindow) return;
    const data = event.data as {
      type?: unknown;
      id?: unknown;
      ok?: unknown;
      result?: unknown;
      error?: unknown;
    };
    if (data?.type !== "openclaw:canvas:response" || typeof data.id !== "string") return;
    const pending = this.#pending.get(data.id);
    if (!pending) return;
    this.#pending.delete(data.id);
    clearTimeout(pending.timer);
    if (data.ok === true) pending.resolve(data.result);
    else pending.reject(new CanvasSurfaceError("PAGE_ERROR", String(data.error ?? "the page failed")));
  };

  #set(state: CanvasSurfaceState): void {
    this.#state = state;
    for (const listener of this.#listeners) listener(state);
  }
}
