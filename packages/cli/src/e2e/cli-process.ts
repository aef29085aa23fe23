import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach } from "vitest";

/** The built CLI: the end-to-end suite drives exactly what users run. */
export const CLI_BIN = fileURLToPath(new URL("../../dist/bin.js", import.meta.url));

/**
 * How the CLI's hints name itself when run as `node <bin.js>` from this working directory (see cliCommand): the
 * spawned CLI inherits the test's cwd, so `node dist/bin.js` when the suite runs in packages/cli.
 */
export const CLI_HINT = `node ${relative(process.cwd(), CLI_BIN)}`;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export async function makeStateDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), "openclaw-cli-e2e-"));
}

export async function removeStateDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** A clean environment: nothing from the developer's own gateway setup leaks into a test. */
export function cliEnv(stateDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: stateDir, OPENCLAW_STATE_DIR: stateDir };
  return { ...env, ...extra };
}

// The timeout only bounds a hung process; generous, as CLI start-up is slow on a loaded CI machine (issue 17).
export function runCli(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`openclaw ${args.join(" ")} timed out\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface RunningGateway {
  child: ChildProcess;
  output: () => string;
  /** Resolves once the startup box has been printed (or rejects with what the process said). */
  ready: Promise<string>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function startCliGateway(args: string[], env: NodeJS.ProcessEnv): RunningGateway {
  const child = spawn(process.execPath, [CLI_BIN, "gateway", ...args], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Press Ctrl+C to stop.")) resolve(output);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    void exited.then((code) =>
      reject(new Error(`gateway exited with ${code} before it was ready:\n${output}`)),
    );
  });
  ready.catch(() => undefined);
  return {
    child,
    output: () => output,
    ready,
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== "object" || address === null) throw new Error("no port");
  return address.port;
}

export async function occupyPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (typeof address !== "object" || address === null) throw new Error("no port");
  return { port: address.port, server };
}

/** Per test: a fresh state dir and its environment, and the gateway the test starts, killed and removed after it. */
export interface CliTestState {
  readonly stateDir: string;
  readonly env: NodeJS.ProcessEnv;
  startGateway(args?: string[], env?: NodeJS.ProcessEnv): RunningGateway;
}

export function useCliState(): CliTestState {
  let stateDir = "";
  let env: NodeJS.ProcessEnv = {};
  let gateway: RunningGateway | undefined;
  beforeEach(async () => {
    stateDir = await makeStateDir();
    env = cliEnv(stateDir);
  });
  afterEach(async () => {
    await gateway?.stop("SIGKILL");
    gateway = undefined;
    await removeStateDir(stateDir);
  });
  return {
    get stateDir() {
      return stateDir;
    },
    get env() {
      return env;
    },
    startGateway(args = [], startEnv = env) {
      gateway = startCliGateway(args, startEnv);
      return gateway;
    },
  };
}
