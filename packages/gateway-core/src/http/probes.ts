import type { IncomingMessage, ServerResponse } from "node:http";
import { isLoopbackAddress } from "../auth/auth-rate-limiter.js";
import { sendJson } from "../http-json/send-json.js";
import type { GatewayRuntime } from "../runtime/gateway-runtime.js";

/** How long a readiness verdict is reused: probes are unauthenticated, so a flood costs one storage read a second. */
const READINESS_TTL_MS = 1_000;
/** A storage read slower than this counts as unreachable (a hung database must not hang the probe). */
const STORAGE_TIMEOUT_MS = 2_000;
/** A key no session has: a primary-key lookup is the cheapest read every storage driver answers. */
const PROBE_KEY = "__openclaw_readyz__";

interface Readiness {
  ready: boolean;
  failing: string[];
  at: number;
}

const verdicts = new WeakMap<GatewayRuntime, Promise<Readiness>>();
/** Runtimes whose gateway is shutting down: not ready, so a load balancer stops sending new work at once. */
const draining = new WeakSet<GatewayRuntime>();

/** Called when the gateway starts to close: `/readyz` answers 503 `draining` from then on. */
export function markDraining(runtime: GatewayRuntime): void {
  draining.add(runtime);
}

async function storageReachable(runtime: GatewayRuntime): Promise<boolean> {
  const storage = runtime.storage;
  // The legacy file layout has no connection to lose.
  if (!storage) return true;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      storage.getSession(PROBE_KEY),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error("storage read timed out")), STORAGE_TIMEOUT_MS);
      }),
    ]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

async function assess(runtime: GatewayRuntime): Promise<Readiness> {
  const failing: string[] = [];
  if (!(await storageReachable(runtime))) failing.push("storage");
  return { ready: failing.length === 0, failing, at: Date.now() };
}

/** The current verdict, computed at most once per {@link READINESS_TTL_MS} however many probes arrive. */
function readiness(runtime: GatewayRuntime): Promise<Readiness> {
  const cached = verdicts.get(runtime);
  if (cached) return cached;
  const next = assess(runtime);
  verdicts.set(runtime, next);
  void next.finally(() => {
    setTimeout(() => {
      if (verdicts.get(runtime) === next) verdicts.delete(runtime);
    }, READINESS_TTL_MS).unref();
  });
  return next;
}

/**
 * `GET /healthz` (the process is alive and serving HTTP) and `GET /readyz` (config loaded, storage reachable,
 * listening), for systemd, Docker and Kubernetes: unauthenticated like OpenClaw's, answering only `ok` and `status`,
 * plus which checks fail for a caller on this machine. Returns false for any other path.
 */
export async function handleProbe(
  path: string,
  request: IncomingMessage,
  response: ServerResponse,
  runtime: GatewayRuntime,
): Promise<boolean> {
  if (path !== "/healthz" && path !== "/readyz") return false;
  request.resume();
  if (request.method !== "GET" && request.method !== "HEAD") {
    sendJson(
      response,
      405,
      { error: { code: "INVALID_REQUEST", message: "use GET" } },
      { allow: "GET, HEAD" },
    );
    return true;
  }
  const noStore = { "cache-control": "no-store" };
  if (path === "/healthz") {
    sendJson(response, 200, { ok: true, status: "live" }, noStore);
    return true;
  }
  if (draining.has(runtime)) {
    sendJson(response, 503, { ok: false, status: "draining" }, noStore);
    return true;
  }
  const verdict = await readiness(runtime);
  const local = isLoopbackAddress(request.socket.remoteAddress ?? "");
  sendJson(
    response,
    verdict.ready ? 200 : 503,
    {
      ok: verdict.ready,
      status: verdict.ready ? "ready" : "not-ready",
      ...(local && !verdict.ready ? { failing: verdict.failing } : {}),
    },
    noStore,
  );
  return true;
}
