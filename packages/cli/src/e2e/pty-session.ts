import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { stripVTControlCharacters } from "node:util";
import { CLI_BIN } from "./cli-process.js";

/** Keys as a terminal sends them. */
export const KEY = {
  enter: "\r",
  down: "\x1b[B",
  up: "\x1b[A",
  ctrlC: "\x03",
  /** Clears the line being edited (readline's kill-line-backwards), so a typed value replaces the default. */
  clearLine: "\x15",
} as const;

function shellQuote(arg: string): string {
  return `'${arg.replaceAll("'", "'\\''")}'`;
}

/**
 * The built CLI on a real pseudo-terminal (util-linux `script` allocates it), so @clack/prompts runs exactly as for
 * a user: raw mode, arrow keys, Ctrl-C. Tests wait for each prompt's text to appear before answering it.
 */
export class PtySession {
  private readonly child: ChildProcessWithoutNullStreams;
  private raw = "";
  /** Where the next {@link waitFor} starts looking, so a prompt redrawn later is not mistaken for an earlier one. */
  private cursor = 0;
  private waiters: { text: string; resolve: () => void }[] = [];
  readonly exited: Promise<number | null>;

  constructor(args: string[], env: NodeJS.ProcessEnv) {
    // A fixed window size: without one the pty reports 0 columns and prompts cannot lay themselves out.
    const command = `stty cols 120 rows 50; exec ${[process.execPath, CLI_BIN, ...args].map(shellQuote).join(" ")}`;
    this.child = spawn("script", ["-qfec", command, "/dev/null"], {
      env: { ...env, TERM: "xterm-256color" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const collect = (chunk: Buffer) => {
      this.raw += chunk.toString("utf8");
      this.check();
    };
    this.child.stdout.on("data", collect);
    this.child.stderr.on("data", collect);
    this.exited = new Promise((resolve, reject) => {
      this.child.on("error", reject);
      this.child.on("close", (code) => resolve(code));
    });
  }

  /** Everything shown so far, without terminal control sequences. */
  get screen(): string {
    return stripVTControlCharacters(this.raw);
  }

  private check(): void {
    const screen = this.screen;
    this.waiters = this.waiters.filter((waiter) => {
      const index = screen.indexOf(waiter.text, this.cursor);
      if (index < 0) return true;
      this.cursor = index + waiter.text.length;
      waiter.resolve();
      return false;
    });
  }

  /** Resolves once `text` is on screen after the previous match; fails with the screen after `timeoutMs`. */
  waitFor(text: string, timeoutMs = 30_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter.text !== text);
        reject(new Error(`timed out waiting for ${JSON.stringify(text)}; the screen shows:\n${this.screen}`));
      }, timeoutMs);
      this.waiters.push({
        text,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
      this.check();
    });
  }

  write(keys: string): void {
    this.child.stdin.write(keys);
  }

  /** Waits for the prompt, then sends the keys. */
  async answer(prompt: string, keys: string): Promise<void> {
    await this.waitFor(prompt);
    this.write(keys);
  }

  kill(): void {
    this.child.kill("SIGKILL");
  }
}
