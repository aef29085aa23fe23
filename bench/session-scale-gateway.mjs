// The gateway under test for bench/session-scale.mjs: the real CLI as a child process on one state dir that survives
// restarts, and its config (a fake model and the `storage` section for the chosen driver).
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { cli, freePort } from "./bench-support.mjs";
import { ConnectRejectedError, connect } from "./gateway-client.mjs";

const appLauncher = fileURLToPath(new URL("./gateway-app.mjs", import.meta.url));

export function writeGatewayConfig(stateDir, { storage, fakeBaseUrl }) {
  const config = {
    models: {
      providers: {
        fake: {
          baseUrl: fakeBaseUrl,
          apiKey: "x",
          api: "openai-completions",
          models: [{ id: "instant", contextWindow: 128_000 }],
        },
      },
    },
    agents: { defaults: { model: { primary: "fake/instant" } } },
    logging: { level: "error" },
  };
  if (storage) config.storage = storage;
  writeFileSync(join(stateDir, "openclaw.json"), JSON.stringify(config));
}

/**
 * Spawns `openclaw gateway` (`via: "app"`: bench/gateway-app.mjs, the unbundled @openclaw/gateway) on `stateDir` and polls until a client completes the handshake. `startMs` is spawn ->
 * hello-ok, the restart figure. Polls every 2 ms: our gateway never answers "retry later", it either is not
 * listening yet or is up.
 */
export async function startGateway({ stateDir, token, timeoutMs, via = "cli" }) {
  const port = await freePort();
  const command = via === "cli" ? [cli, "gateway", "--port", String(port)] : [appLauncher, String(port)];
  const started = performance.now();
  const child = spawn(process.execPath, command, {
    env: { ...process.env, OPENCLAW_STATE_DIR: stateDir, OPENCLAW_GATEWAY_TOKEN: token },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr = (stderr + chunk).slice(-8192); // the tail is what explains a failure; keep memory bounded
  });
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve(signal ?? code)));
  const url = `ws://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const client = await connect(url, token);
      return {
        child,
        exited,
        url,
        token,
        client,
        startMs: performance.now() - started,
        stderr: () => stderr,
      };
    } catch (error) {
      if (error instanceof ConnectRejectedError || child.exitCode !== null || Date.now() > deadline) {
        child.kill("SIGKILL");
        const why =
          child.exitCode !== null
            ? `exited (${child.exitCode}) before hello-ok`
            : `gave no hello-ok within ${timeoutMs} ms`;
        throw new Error(`the gateway ${why}: ${error.message}\n${stderr}`);
      }
      await new Promise((resume) => setTimeout(resume, 2));
    }
  }
}

/** SIGTERM and wait for the exit (a graceful stop flushes pending writes); SIGKILL past `graceMs`. */
export async function stopGateway(gateway, graceMs = 60_000) {
  gateway.client.close();
  const { child } = gateway;
  if (child.exitCode === null && child.signalCode === null) {
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    await gateway.exited;
    clearTimeout(timer);
  }
}
