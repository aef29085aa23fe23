import { type ChildProcess, spawn } from "node:child_process";

export interface CommandResult {
  stdout: string;
  stderr: string;
}

export class CommandError extends Error {
  readonly code = "COMMAND_FAILED";
}

/** Runs a command to completion; rejects with its whole output (the only clue a red CI run leaves) on failure. */
export function runCommand(
  command: string,
  args: string[],
  o: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: o.cwd, env: o.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timeoutMs = o.timeoutMs ?? 5 * 60_000;
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) {
        resolve({ stdout, stderr });
        return;
      }
      const why = signal === "SIGKILL" ? `was killed after ${timeoutMs} ms` : `exited with ${code ?? signal}`;
      reject(
        new CommandError(
          `\`${command} ${args.join(" ")}\` in ${o.cwd} ${why}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`,
        ),
      );
    });
  });
}

/** A long-running child (a gateway) whose output is awaited line by line, never slept on. */
export class LongRunningProcess {
  readonly child: ChildProcess;
  private output = "";
  private readonly exited: Promise<number | null>;
  private readonly waiters = new Set<() => void>();

  constructor(
    readonly label: string,
    command: string,
    args: string[],
    o: { cwd: string; env: NodeJS.ProcessEnv },
  ) {
    // Its own process group: npx runs the gateway as a grandchild, and stop() must reach it too.
    this.child = spawn(command, args, {
      cwd: o.cwd,
      env: o.env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    const onData = (chunk: Buffer) => {
      this.output += chunk.toString();
      for (const wake of this.waiters) wake();
    };
    this.child.stdout?.on("data", onData);
    this.child.stderr?.on("data", onData);
    this.exited = new Promise((resolve) => this.child.once("close", (code) => resolve(code)));
    void this.exited.then(() => {
      for (const wake of this.waiters) wake();
    });
  }

  get text(): string {
    return this.output;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves with the first match of `pattern` in the output; rejects if the process exits or time runs out first. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(
          new Error(`${this.label}: no ${pattern} within ${timeoutMs} ms; output so far:\n${this.output}`),
        );
      }, timeoutMs);
      const check = () => {
        const match = this.output.match(pattern);
        if (match) {
          clearTimeout(timer);
          this.waiters.delete(check);
          resolve(match);
        } else if (!this.running) {
          clearTimeout(timer);
          this.waiters.delete(check);
          reject(new Error(`${this.label} exited before printing ${pattern}; output:\n${this.output}`));
        }
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Sends `signal` to the whole process group and resolves with the exit code; SIGKILLs after `timeoutMs`. */
  async stop(signal: NodeJS.Signals = "SIGTERM", timeoutMs = 15_000): Promise<number | null> {
    if (!this.running) return this.exited;
    this.signalGroup(signal);
    const timer = setTimeout(() => this.signalGroup("SIGKILL"), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  private signalGroup(signal: NodeJS.Signals): void {
    if (this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, signal);
    } catch {
      // The group is gone already.
    }
  }
}
