import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import type { OpenClawRelease } from "@openclaw/testing";
import { E2E_WAIT_MS } from "./e2e-wait-support.js";
import type { OpenClawClientHome } from "./openclaw-cli-support.js";

function tmux(socket: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("tmux", ["-L", socket, ...args], { timeout: E2E_WAIT_MS }, (error, stdout, stderr) => {
      if (error) reject(new Error(`tmux ${args[0]} failed: ${String(stderr).trim() || error.message}`));
      else resolve(String(stdout));
    });
  });
}

/** True when tmux can be run here; the TUI test skips (saying so) when it cannot. */
export function tmuxAvailable(): Promise<boolean> {
  return new Promise((resolve) => {
    // Generous: a timeout here would skip the TUI test on a loaded machine instead of running it.
    execFile("tmux", ["-V"], { timeout: E2E_WAIT_MS }, (error) => resolve(!error));
  });
}

function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** OpenClaw's TUI running in a tmux pane of its own (a private tmux server), driven by keys and read as text. */
export interface TuiSession {
  /** The pane's visible text now. */
  screen(): Promise<string>;
  /** Resolves with the screen once `test` accepts it; fails after `timeoutMs` showing the last screen. */
  waitFor(test: (screen: string) => boolean, what: string, timeoutMs?: number): Promise<string>;
  /** Types `text` literally, then presses Enter. */
  submit(text: string): Promise<void>;
  close(): Promise<void>;
}

export async function startOpenClawTui(
  release: OpenClawRelease,
  client: OpenClawClientHome,
  args: string[],
): Promise<TuiSession> {
  const socket = `openclaw-tui-test-${randomBytes(4).toString("hex")}`;
  const environment = Object.entries({ ...client.env, TERM: "xterm-256color", COLUMNS: "160", LINES: "45" })
    .filter((entry): entry is [string, string] => typeof entry[1] === "string")
    .map(([key, value]) => `${key}=${shellQuote(value)}`);
  // `env -i`: the pane gets the isolated home and nothing of this process's environment (no developer token).
  const command = [
    "env -i",
    ...environment,
    shellQuote(process.execPath),
    shellQuote(release.bin),
    ...args.map(shellQuote),
  ].join(" ");
  await tmux(socket, ["new-session", "-d", "-s", "tui", "-x", "160", "-y", "45", "-c", client.home, command]);
  // Keep the pane after the TUI exits, so a crash stays readable in the failure message.
  await tmux(socket, ["set-option", "-t", "tui", "remain-on-exit", "on"]);

  const screen = () => tmux(socket, ["capture-pane", "-p", "-J", "-t", "tui"]);
  return {
    screen,
    async waitFor(test, what, timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      let last = "";
      for (;;) {
        last = await screen();
        if (test(last)) return last;
        if (Date.now() > deadline)
          throw new Error(`OpenClaw's TUI never showed ${what}; its screen:\n${last}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    },
    async submit(text) {
      await tmux(socket, ["send-keys", "-t", "tui", "-l", text]);
      await tmux(socket, ["send-keys", "-t", "tui", "Enter"]);
    },
    async close() {
      await tmux(socket, ["kill-server"]).catch(() => undefined);
    },
  };
}
