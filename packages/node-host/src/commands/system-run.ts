import { spawn } from "node:child_process";
import type { SystemRunParams } from "@openclaw/protocol";

export interface SystemRunResult {
  exitCode: number | undefined;
  timedOut: boolean;
  success: boolean;
  stdout: string;
  stderr: string;
  error: string | null;
  truncated: boolean;
}

/** Output kept per stream (OpenClaw's headless host keeps the head, as here). */
const OUTPUT_CAP_BYTES = 200 * 1024;
/** After SIGTERM, how long a command may take to exit before its process group is killed. */
const KILL_GRACE_MS = 2_000;

class OutputBuffer {
  readonly #chunks: Buffer[] = [];
  #bytes = 0;
  truncated = false;

  push(chunk: Buffer): void {
    const room = OUTPUT_CAP_BYTES - this.#bytes;
    if (room <= 0) {
      this.truncated = true;
      return;
    }
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    if (kept !== chunk) this.truncated = true;
    this.#chunks.push(kept);
    this.#bytes += kept.length;
  }

  text(): string {
    return Buffer.concat(this.#chunks).toString("utf8");
  }
}

/**
 * Runs argv without a shell, in its own process group so a cancel or timeout ends the whole tree. Output is
 * streamed to `onOutput` as it arrives and kept (up to a cap) for the result.
 */
export function runSystemCommand(
  params: SystemRunParams,
  o: { signal?: AbortSignal; onOutput?(chunk: string): void },
): Promise<SystemRunResult> {
  const [file, ...args] = params.command as [string, ...string[]];
  return new Promise((resolve) => {
    const stdout = new OutputBuffer();
    const stderr = new OutputBuffer();
    let timedOut = false;
    let settled = false;
    const child = spawn(file, args, {
      cwd: params.cwd,
      env: { ...process.env, ...params.env, OPENCLAW_SHELL: "node-exec" },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    const killTree = (signal: NodeJS.Signals) => {
      if (child.pid === undefined || child.exitCode !== null) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        child.kill(signal);
      }
    };
    const stop = () => {
      killTree("SIGTERM");
      setTimeout(() => killTree("SIGKILL"), KILL_GRACE_MS).unref();
    };
    const timer =
      params.timeoutMs && params.timeoutMs > 0
        ? setTimeout(() => {
            timedOut = true;
            stop();
          }, params.timeoutMs)
        : undefined;
    o.signal?.addEventListener("abort", stop, { once: true });
    const finish = (exitCode: number | undefined, error: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      o.signal?.removeEventListener("abort", stop);
      resolve({
        exitCode,
        timedOut,
        success: exitCode === 0 && !timedOut,
        stdout: stdout.text(),
        stderr: stderr.text(),
        error,
        truncated: stdout.truncated || stderr.truncated,
      });
    };
    child.stdout.on("data", (chunk: Buffer) => {
      stdout.push(chunk);
      o.onOutput?.(chunk.toString("utf8"));
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr.push(chunk);
      o.onOutput?.(chunk.toString("utf8"));
    });
    child.once("error", (error) => finish(undefined, error.message));
    child.once("close", (code, signal) =>
      finish(code ?? undefined, signal ? `terminated by ${signal}` : null),
    );
  });
}
