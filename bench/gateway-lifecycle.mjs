// Starting and stopping the gateway under test as a child process (`run.mjs`): the cold start is measured from
// the spawn to the first hello-ok, and every gateway started is killed (its process group too) however the bench
// ends, so an interrupted run leaves nothing behind.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, progress } from "./bench-support.mjs";
import { ConnectRejectedError, connect } from "./gateway-client.mjs";
import { processGroupMembers } from "./process-tree.mjs";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Every gateway this process started and has not seen exit, so an interrupted run leaves nothing behind.
const live = new Map();
const stopping = new WeakSet();

function signalGateway(child, signal, wholeGroup) {
  try {
    if (wholeGroup) process.kill(-child.pid, signal);
    else child.kill(signal);
  } catch {
    // already gone
  }
}

function abandonAll() {
  for (const [child, gateway] of live) {
    signalGateway(child, "SIGKILL", gateway.target.ownProcessGroup);
    rmSync(gateway.stateDir, { recursive: true, force: true });
  }
}
process.on("exit", abandonAll);
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    abandonAll();
    process.exit(130);
  });
}

export async function startGateway(target) {
  const stateDir = mkdtempSync(join(tmpdir(), "openclaw-bench-"));
  const port = await freePort();
  const token = randomBytes(32).toString("hex");
  const launch = target.launch({ stateDir, port, token });
  const started = performance.now();
  const child = spawn(launch.command, launch.args, {
    env: launch.env,
    stdio: ["ignore", "ignore", "pipe"],
    detached: target.ownProcessGroup,
  });
  const gateway = { target, child, stateDir, url: `ws://127.0.0.1:${port}`, token };
  live.set(child, gateway);
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr = (stderr + chunk).slice(-8192); // the tail is what explains a failure; keep memory bounded
  });
  child.once("exit", (code, signal) => {
    live.delete(child);
    if (!stopping.has(child))
      progress(`${target.name}: gateway exited unexpectedly (${code ?? signal}):\n${stderr}`);
  });
  const deadline = Date.now() + target.startTimeoutMs;
  for (;;) {
    try {
      gateway.client = await connect(gateway.url, token);
      gateway.coldStartMs = performance.now() - started;
      return gateway;
    } catch (error) {
      const stillStarting = !(error instanceof ConnectRejectedError) || error.retryable;
      if (!stillStarting || child.exitCode !== null || Date.now() > deadline) {
        stopping.add(child);
        signalGateway(child, "SIGKILL", target.ownProcessGroup);
        rmSync(stateDir, { recursive: true, force: true });
        const exited = child.exitCode !== null || child.signalCode !== null;
        const why = exited
          ? `the gateway exited (${child.exitCode ?? child.signalCode}) before hello-ok`
          : stillStarting
            ? `no hello-ok within ${target.startTimeoutMs} ms`
            : "the gateway refused the connection";
        throw new Error(`${why}: ${error.message}\n${stderr}`);
      }
      await sleep(error instanceof ConnectRejectedError ? target.retryDelayMs : 2);
    }
  }
}

export async function stopGateway(gateway) {
  const { child, target } = gateway;
  stopping.add(child);
  gateway.client?.close();
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    signalGateway(child, "SIGTERM", false);
    // A graceful drain may legitimately take a while; past this the process group is killed.
    const timer = setTimeout(() => signalGateway(child, "SIGKILL", target.ownProcessGroup), 30_000);
    await exited;
    clearTimeout(timer);
  }
  // Helpers the gateway left behind keep its process group alive (so its id cannot have been reused): end them.
  if (target.ownProcessGroup && processGroupMembers(child.pid).length > 0) {
    progress(`${target.name}: helper processes outlived the gateway; killing its process group`);
    signalGateway(child, "SIGKILL", true);
  }
  live.delete(child);
  rmSync(gateway.stateDir, { recursive: true, force: true });
}
