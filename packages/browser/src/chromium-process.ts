import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { BrowserError } from "./browser-error.js";

/** How long Chromium may take to write DevToolsActivePort before the start fails. */
const START_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 3_000;
const STDERR_TAIL_CHARS = 2_000;

/** Flags every launch gets: no sync, no background traffic, no first-run UI, nothing that phones home. */
const BASE_FLAGS = [
  "--no-first-run",
  "--no-default-browser-check",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
  "--disable-features=NetworkPrediction,Translate,MediaRouter",
  "--disable-default-apps",
  "--password-store=basic",
  "--use-mock-keychain",
];

export interface ChromiumLaunchOptions {
  executablePath: string;
  userDataDir: string;
  headless: boolean;
  noSandbox: boolean;
  extraArgs: readonly string[];
  /** The policy proxy every request goes through (see startPolicyProxy). */
  proxyServer: string;
}

export interface ChromiumProcess {
  readonly pid: number;
  /** The CDP port Chromium chose; it listens on 127.0.0.1 only. */
  readonly cdpPort: number;
  readonly cdpUrl: string;
  readonly exited: Promise<void>;
  stop(): Promise<void>;
}

export function chromiumArgs(options: ChromiumLaunchOptions): string[] {
  return [
    ...BASE_FLAGS,
    ...(options.headless ? ["--headless", "--disable-gpu"] : []),
    ...(options.noSandbox ? ["--no-sandbox"] : []),
    ...options.extraArgs,
    // Last (Chromium takes a switch's last value), so extraArgs cannot route around the policy proxy or move the
    // debugging endpoint off loopback. `<-loopback>` sends loopback through the proxy too; WebRTC may not use UDP
    // outside it.
    `--proxy-server=${options.proxyServer}`,
    "--proxy-bypass-list=<-loopback>",
    "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
    "--remote-debugging-address=127.0.0.1",
    "--remote-debugging-port=0",
    `--user-data-dir=${options.userDataDir}`,
    "about:blank",
  ];
}

/**
 * Starts Chromium with its own user-data dir and an OS-chosen CDP port on loopback, and waits for the port it wrote to
 * `DevToolsActivePort`. A stale file from an earlier run is removed first so its port is never mistaken for ours.
 */
export async function launchChromium(options: ChromiumLaunchOptions): Promise<ChromiumProcess> {
  await mkdir(options.userDataDir, { recursive: true, mode: 0o700 });
  const portFile = join(options.userDataDir, "DevToolsActivePort");
  await rm(portFile, { force: true });
  await rm(join(options.userDataDir, "SingletonLock"), { force: true });
  // Its own process group, so stopping it reaches the renderers and helpers too (and a wrapper script's child).
  const child = spawn(options.executablePath, chromiumArgs(options), {
    stdio: ["ignore", "ignore", "pipe"],
    env: withoutProxyVariables(process.env),
    detached: true,
  });
  const forget = killGroupOnExit(child);
  let stderr = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL_CHARS);
  });
  const exited = new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.once("error", () => resolve());
  });
  let spawnError: Error | undefined;
  child.once("error", (error) => {
    spawnError = error;
  });
  const deadline = Date.now() + START_TIMEOUT_MS;
  let port: number | undefined;
  while (port === undefined) {
    if (spawnError || child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      await killChild(child, exited);
      forget();
      const why = spawnError
        ? spawnError.message
        : child.exitCode !== null
          ? `exited with code ${child.exitCode}`
          : "did not open its debugging port in time";
      throw new BrowserError(
        "BROWSER_START_FAILED",
        `Chromium (${options.executablePath}) ${why}${stderr.trim() ? `: ${stderr.trim().split("\n").slice(-3).join(" | ")}` : ""}. ` +
          "Check the binary runs (`chromium --headless --version`); as root it needs browser.noSandbox: true",
      );
    }
    port = await readPort(portFile);
    if (port === undefined) await delay(25);
  }
  const pid = child.pid ?? -1;
  return {
    pid,
    cdpPort: port,
    cdpUrl: `http://127.0.0.1:${port}`,
    exited,
    stop: async () => {
      await killChild(child, exited);
      forget();
    },
  };
}

async function readPort(file: string): Promise<number | undefined> {
  try {
    const first = (await readFile(file, "utf8")).split("\n")[0]?.trim();
    const port = Number(first);
    return Number.isInteger(port) && port > 0 && port < 65536 ? port : undefined;
  } catch {
    return undefined;
  }
}

async function killChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  const group = child.pid;
  if (group === undefined) return;
  signalGroup(group, "SIGTERM");
  const timer = delay(STOP_GRACE_MS).then(() => "timeout" as const);
  if ((await Promise.race([exited.then(() => "exited" as const), timer])) === "timeout") {
    signalGroup(group, "SIGKILL");
    await exited;
  }
  // The browser process is gone; its helpers follow within moments. Wait for the whole group, then make sure.
  const deadline = Date.now() + STOP_GRACE_MS;
  while (groupAlive(group) && Date.now() < deadline) await delay(25);
  signalGroup(group, "SIGKILL");
}

function signalGroup(group: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-group, signal);
  } catch {
    // ESRCH: nothing left in the group.
  }
}

function groupAlive(group: number): boolean {
  try {
    process.kill(-group, 0);
    return true;
  } catch {
    return false;
  }
}

/** A gateway that exits without closing (a crash, process.exit) still takes its browsers with it. */
function killGroupOnExit(child: ChildProcess): () => void {
  const onExit = () => {
    if (child.pid !== undefined) signalGroup(child.pid, "SIGKILL");
  };
  process.once("exit", onExit);
  return () => process.removeListener("exit", onExit);
}

/** The gateway's proxy settings are for its own requests; the browser goes direct so the SSRF checks hold. */
function withoutProxyVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  for (const key of Object.keys(copy)) {
    if (/^(https?|all|no)_proxy$/i.test(key)) delete copy[key];
  }
  return copy;
}
