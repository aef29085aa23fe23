import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const childScript = join(here, "__fixtures__", "cluster-gateway.mjs");
const builtGateway = join(here, "..", "..", "dist", "index.js");

/** What the child script takes (see __fixtures__/cluster-gateway.mjs). */
export interface GatewayChildOptions {
  stateDir: string;
  token: string;
  port: number;
  env?: Record<string, string>;
  logLevel?: "debug" | "info" | "warn" | "error";
  cronCatchUpDelayMs?: number;
}

/** A running gateway child: its URL, pid, the tail of its log and how it ended. */
export interface GatewayChild {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly url: string;
  readonly port: number;
  /** The last 64 KiB of its stderr (console log lines), to explain a failure. */
  log(): string;
  /** Resolves with the exit signal (null for a plain exit) once the process is gone. */
  readonly exited: Promise<NodeJS.Signals | null>;
  readonly running: boolean;
  /** SIGKILL, as a crashed host; resolves once it is gone. */
  kill(): Promise<void>;
  /** SIGTERM (a graceful close), SIGKILL after `graceMs`; resolves once it is gone. */
  stop(graceMs?: number): Promise<void>;
}

// Every child any test in this worker started and has not seen exit: killed when the worker exits, so a failed or
// interrupted run leaves no gateway behind.
const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const child of live) child.kill("SIGKILL");
  });
}

/** Children still running (a teardown asserts none is left). */
export function liveGatewayChildren(): number {
  return live.size;
}

const LOG_TAIL_BYTES = 64 * 1024;
const START_TIMEOUT_MS = 60_000;

/** Starts one gateway process on the built @openclaw/gateway and resolves once it listens. */
export async function spawnGatewayChild(options: GatewayChildOptions): Promise<GatewayChild> {
  if (!existsSync(builtGateway)) {
    throw new Error(
      `${builtGateway} is missing: build the gateway first (npx -y pnpm@10 build --filter @openclaw/gateway...)`,
    );
  }
  installExitHook();
  const child = spawn(process.execPath, [childScript, JSON.stringify(options)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  live.add(child);
  let log = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    log = (log + chunk).slice(-LOG_TAIL_BYTES);
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once("exit", (_code, signal) => {
      live.delete(child);
      resolve(signal);
    }),
  );
  const ready = await new Promise<{ url: string }>((resolve, reject) => {
    let pending = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the gateway did not listen within ${START_TIMEOUT_MS} ms:\n${log}`));
    }, START_TIMEOUT_MS);
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      pending += chunk;
      const newline = pending.indexOf("\n");
      if (newline === -1) return;
      clearTimeout(timer);
      try {
        resolve(JSON.parse(pending.slice(0, newline)) as { url: string });
      } catch {
        reject(new Error(`the gateway printed ${pending.slice(0, newline)} instead of its URL:\n${log}`));
      }
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the gateway exited (${code ?? signal}) before listening:\n${log}`));
    });
  });
  const isRunning = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    pid: child.pid ?? 0,
    url: ready.url,
    port: Number(new URL(ready.url).port),
    log: () => log,
    exited,
    get running() {
      return isRunning();
    },
    kill: async () => {
      if (isRunning()) child.kill("SIGKILL");
      await exited;
    },
    stop: async (graceMs = 20_000) => {
      if (isRunning()) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}
