import { GatewayClient, GatewayError } from "@openclaw/client";
import { type CanvasSurface, CanvasSurfaceError } from "./canvas-surface.js";

/** The canvas commands this panel answers: OpenClaw's panel commands, and eval and snapshot. */
export const CANVAS_NODE_COMMANDS = [
  "canvas.present",
  "canvas.hide",
  "canvas.navigate",
  "canvas.eval",
  "canvas.snapshot",
] as const;

/** Largest `paramsJSON` the panel parses (an eval script or a navigation target, never bulk data). */
const MAX_PARAMS_CHARS = 256 * 1024;

export interface CanvasNodeCredential {
  token?: string;
  password?: string;
}

export type CanvasNodeStatus =
  | { state: "connecting" }
  | { state: "connected"; nodeId: string }
  | { state: "approving"; requestId: string }
  | { state: "failed"; message: string };

interface InvokeRequest {
  id: string;
  nodeId: string;
  command: string;
  paramsJSON: string | null;
}

function parseInvokeRequest(payload: unknown): InvokeRequest | undefined {
  const value = payload as Partial<InvokeRequest> | null;
  if (value === null || typeof value !== "object") return undefined;
  if (typeof value.id !== "string" || typeof value.nodeId !== "string" || typeof value.command !== "string") {
    return undefined;
  }
  const paramsJSON = typeof value.paramsJSON === "string" ? value.paramsJSON : null;
  return { id: value.id, nodeId: value.nodeId, command: value.command, paramsJSON };
}

function stringParam(params: Record<string, unknown>, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = params[name];
    if (typeof value === "string" && value.trim() !== "") return value.trim();
  }
  return undefined;
}

function numberParam(params: Record<string, unknown>, name: string): number | undefined {
  const value = params[name];
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** Runs one canvas command on the surface; the result is the invoke's payload. */
export async function runCanvasCommand(
  surface: CanvasSurface,
  command: string,
  params: Record<string, unknown>,
): Promise<unknown> {
  switch (command) {
    case "canvas.present":
      return surface.present(stringParam(params, "url", "target"));
    case "canvas.hide":
      return surface.hide();
    case "canvas.navigate": {
      const url = stringParam(params, "url", "target");
      if (url === undefined) throw new CanvasSurfaceError("INVALID_REQUEST", "canvas.navigate needs url");
      return surface.navigate(url);
    }
    case "canvas.eval": {
      const javaScript = stringParam(params, "javaScript", "js", "script");
      if (javaScript === undefined)
        throw new CanvasSurfaceError("INVALID_REQUEST", "canvas.eval needs javaScript");
      return surface.eval(javaScript);
    }
    case "canvas.snapshot":
      return surface.snapshot({
        ...(stringParam(params, "format") ? { format: stringParam(params, "format") } : {}),
        ...(numberParam(params, "maxWidth") ? { maxWidth: numberParam(params, "maxWidth") } : {}),
        ...(numberParam(params, "quality") ? { quality: numberParam(params, "quality") } : {}),
      });
    default:
      throw new CanvasSurfaceError("INVALID_REQUEST", `this canvas panel does not answer ${command}`);
  }
}

/**
 * Makes the Control UI a canvas node: a second connection with role `node` that declares the canvas commands and
 * answers each `node.invoke.request` from the surface. A browser's first connection as a node waits for an
 * operator's approval; the operator who switched the panel on is asked nothing more: `approve` (the UI's operator
 * connection calling `node.pair.approve`) is called with the request, then the node connects again.
 */
export class CanvasNodeLink {
  readonly #client: GatewayClient;
  #closed = false;

  constructor(
    private readonly options: {
      url: string;
      credential: CanvasNodeCredential;
      /** Stable per browser tab, so the approval is kept across reloads of the panel. */
      instanceId: string;
      surface: CanvasSurface;
      approve(requestId: string): Promise<void>;
      onStatus(status: CanvasNodeStatus): void;
    },
  ) {
    this.#client = new GatewayClient({
      url: options.url,
      ...options.credential,
      role: "node",
      caps: ["canvas"],
      commands: [...CANVAS_NODE_COMMANDS],
      client: {
        id: "openclaw-control-ui",
        mode: "node",
        displayName: "Control UI canvas",
        instanceId: options.instanceId,
      },
      reconnect: true,
    });
    this.#client.on("node.invoke.request", (payload) => {
      const request = parseInvokeRequest(payload);
      if (request) void this.#answer(request);
    });
  }

  async start(): Promise<void> {
    this.options.onStatus({ state: "connecting" });
    try {
      await this.#client.connect();
    } catch (error) {
      const pairing =
        error instanceof GatewayError && error.code === "NOT_PAIRED" ? error.details : undefined;
      const requestId = pairing?.requestId;
      if (this.#closed || typeof requestId !== "string") {
        this.options.onStatus({
          state: "failed",
          message: error instanceof Error ? error.message : String(error),
        });
        return;
      }
      this.options.onStatus({ state: "approving", requestId });
      try {
        await this.options.approve(requestId);
        await this.#client.connect();
      } catch (retryError) {
        this.options.onStatus({
          state: "failed",
          message: retryError instanceof Error ? retryError.message : String(retryError),
        });
        return;
      }
    }
    this.options.onStatus({ state: "connected", nodeId: this.options.instanceId });
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#client.close();
  }

  async #answer(request: InvokeRequest): Promise<void> {
    let outcome: { ok: true; payload: unknown } | { ok: false; code: string; message: string };
    try {
      if (request.paramsJSON !== null && request.paramsJSON.length > MAX_PARAMS_CHARS) {
        throw new CanvasSurfaceError("INVALID_REQUEST", "canvas command params over 256 KiB");
      }
      const parsed: unknown = request.paramsJSON === null ? {} : JSON.parse(request.paramsJSON);
      const params = parsed !== null && typeof parsed === "object" ? (parsed as Record<string, unknown>) : {};
      outcome = { ok: true, payload: await runCanvasCommand(this.options.surface, request.command, params) };
    } catch (error) {
      outcome = {
        ok: false,
        code: error instanceof CanvasSurfaceError ? error.code : "PAGE_ERROR",
        message: error instanceof Error ? error.message : String(error),
      };
    }
    await this.#client
      .request("node.invoke.result", {
        id: request.id,
        nodeId: request.nodeId,
        ok: outcome.ok,
        ...(outcome.ok
          ? { payload: outcome.payload as never }
          : { error: { code: outcome.code, message: outcome.message.slice(0, 2000) } }),
      })
      .catch(() => undefined);
  }
}
