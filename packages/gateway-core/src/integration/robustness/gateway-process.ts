import { type ChildProcess, spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export { buildIfStale } from "./build-if-stale.js";

const integrationDir = dirname(dirname(fileURLToPath(import.meta.url)));
const childScript = join(integrationDir, "__fixtures__", "gateway-child.mjs");

export interface GatewayProcess {
  child: ChildProcess;
  pid: number;
  url: string;
  port: number;
  stderr(): string;
  /** Resolves with the signal that ended the child (null when it exited on its own). */
  exited: Promise<NodeJS.Signals | null>;
  /** SIGKILLs the child (if still running) and waits for it to exit. */
  kill(): Promise<void>;
}

/** Starts a gateway in its own process (so its memory can be measured alone); resolves once it listens. */
export async function spawnGatewayProcess(
  stateDir: string,
  token: string,
  o: { nodeArgs?: string[]; env?: NodeJS.ProcessEnv } = {},
): Promise<GatewayProcess> {
  const child = spawn(process.execPath, [...(o.nodeArgs ?? []), childScript, stateDir, token], {
    stdio: ["ignore", "pipe", "pipe"],
    ...(o.env ? { env: { ...process.env, ...o.env } } : {}),
  });
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once("exit", (_code, signal) => resolve(signal)),
  );
  const url = await new Promise<string>((resolve, reject) => {
    let pending = "";
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      pending += chunk;
      const newline = pending.indexOf("\n");
      if (newline !== -1) resolve((JSON.parse(pending.slice(0, newline)) as { url: string }).url);
    });
    child.once("exit", (code) =>
      reject(new Error(`gateway child exited (${code}) before listening: ${stderr}`)),
    );
  });
  return {
    child,
    pid: child.pid ?? 0,
    url,
    port: Number(new URL(url).port),
    stderr: () => stderr,
    exited,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}
