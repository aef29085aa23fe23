import type { BindMode } from "../auth/bind-host.js";
import { type Logger, silentLogger } from "../logging/logger.js";
import { TailscaleError } from "./tailscale-error.js";

export interface ExposeViaTailscaleOptions {
  /** `gateway.tailscale.mode` (other than "off"): tailnet-only Serve or public Funnel. */
  mode: "serve" | "funnel";
  /** The local gateway port Tailscale proxies to. */
  port: number;
  /** The gateway's effective auth mode; Funnel is public, so it is refused unless this is "password". */
  authMode: "token" | "password" | "none";
  /** `gateway.tailscale.resetOnExit`: whether `stop()` removes the Serve/Funnel config again. */
  resetOnExit: boolean;
  /** `gateway.bind`; when given it must be "loopback", because Serve/Funnel is the gateway's way out. */
  bind?: BindMode;
  /** Whether the gateway itself serves TLS; Tailscale then proxies to https (its certificate is not checked). */
  tls?: boolean;
  /** The Tailscale CLI to run. Default "tailscale" (looked up on PATH). */
  bin?: string;
  /** Extra environment for the CLI, on top of this process's. */
  env?: NodeJS.ProcessEnv;
  /** Per-command time limit. Default 15 s. */
  timeoutMs?: number;
  logger?: Logger;
}

export interface TailscaleExposure {
  /** `https://<machine>.<tailnet>.ts.net/`, when `tailscale status` reports the machine's DNS name. */
  url?: string;
  /** Runs `tailscale <mode> reset` when `resetOnExit` is set; otherwise leaves the route in place. Never throws. */
  stop(): Promise<void>;
}

interface TailscaleStatus {
  BackendState?: string;
  Self?: { DNSName?: string };
}

const STDERR_LINES = 5;

/**
 * Exposes the gateway's loopback port through Tailscale Serve (tailnet only) or Funnel (public internet) by running
 * the `tailscale` CLI: `tailscale status --json` (is it logged in, what is this machine's name), then
 * `tailscale serve|funnel --bg --yes <port>`. Commands run with execFile, never through a shell.
 */
export async function exposeViaTailscale(options: ExposeViaTailscaleOptions): Promise<TailscaleExposure> {
  const logger = options.logger ?? silentLogger;
  if (options.mode === "funnel" && options.authMode !== "password") {
    throw new TailscaleError(
      "TAILSCALE_FUNNEL_NEEDS_PASSWORD",
      `gateway.tailscale.mode "funnel" puts the gateway on the public internet, which needs password auth (auth mode is "${options.authMode}"): set gateway.auth.mode: "password" and gateway.auth.password (or OPENCLAW_GATEWAY_PASSWORD), or use mode "serve"`,
    );
  }
  if (options.bind !== undefined && options.bind !== "loopback") {
    throw new TailscaleError(
      "TAILSCALE_NEEDS_LOOPBACK_BIND",
      `gateway.tailscale.mode "${options.mode}" needs gateway.bind "loopback" (it is "${options.bind}"): Tailscale provides the outside access, so set gateway.bind: "loopback"`,
    );
  }

  const run = (args: string[]) => runTailscale(options, args);
  const status = parseStatus(await run(["status", "--json"]));
  if (status.BackendState !== undefined && status.BackendState !== "Running") {
    throw new TailscaleError(
      "TAILSCALE_NOT_RUNNING",
      `Tailscale is not connected (state ${status.BackendState}): run \`tailscale up\` to log in, then start the gateway again`,
    );
  }
  const target = options.tls ? `https+insecure://127.0.0.1:${options.port}` : String(options.port);
  await run([options.mode, "--bg", "--yes", target]);
  const dnsName = status.Self?.DNSName?.replace(/\.$/, "");
  const url = dnsName ? `https://${dnsName}/` : undefined;
  logger.info(`tailscale ${options.mode} enabled`, { port: options.port, url });

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      if (!options.resetOnExit) return;
      try {
        await run([options.mode, "reset"]);
        logger.info(`tailscale ${options.mode} reset`);
      } catch (error) {
        logger.warn(
          `tailscale ${options.mode} reset failed; run \`tailscale ${options.mode} reset\` by hand`,
          {
            error: error instanceof Error ? error.message : String(error),
          },
        );
      }
    })();
    return stopped;
  };
  return { url, stop };
}

function parseStatus(stdout: string): TailscaleStatus {
  try {
    const parsed: unknown = JSON.parse(stdout);
    return parsed !== null && typeof parsed === "object" ? (parsed as TailscaleStatus) : {};
  } catch {
    // An older or unusual CLI: carry on without a URL rather than refuse to expose the gateway.
    return {};
  }
}

async function runTailscale(options: ExposeViaTailscaleOptions, args: string[]): Promise<string> {
  // Imported here, not at the top: child_process costs memory, and most gateways never run Tailscale.
  const { execFile } = await import("node:child_process");
  const bin = options.bin ?? "tailscale";
  const command = `${bin} ${args.join(" ")}`;
  return new Promise((resolve, reject) => {
    execFile(
      bin,
      args,
      {
        env: { ...process.env, ...options.env },
        timeout: options.timeoutMs ?? 15_000,
        windowsHide: true,
        maxBuffer: 4 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (!error) {
          resolve(stdout);
          return;
        }
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "ENOENT") {
          reject(
            new TailscaleError(
              "TAILSCALE_NOT_FOUND",
              `the Tailscale CLI "${bin}" was not found: install Tailscale (https://tailscale.com/download) and log in with \`tailscale up\`, or set gateway.tailscale.mode: "off"`,
              { cause: error },
            ),
          );
          return;
        }
        const detail = firstLines(stderr) || firstLines(stdout);
        const reason = error.killed
          ? `timed out after ${options.timeoutMs ?? 15_000} ms`
          : `exited with ${code}`;
        reject(
          new TailscaleError(
            "TAILSCALE_FAILED",
            `\`${command}\` ${reason}${detail ? `: ${detail}` : ""} — check \`tailscale status\` and that Serve/Funnel is allowed for this machine`,
            { cause: error },
          ),
        );
      },
    );
  });
}

function firstLines(text: string): string {
  return text.trim().split("\n").slice(0, STDERR_LINES).join(" | ");
}
