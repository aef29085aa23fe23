// The gateway under test for bench/session-scale.mjs: the real CLI as a child process on one state dir that survives
// restarts, its config (a fake model and the `storage` section for the chosen driver), and the PostgreSQL schema a
// postgres run owns (created before the first start, dropped at the end).
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { cli, freePort } from "./bench-support.mjs";
import { ConnectRejectedError, connect } from "./gateway-client.mjs";

export const DRIVERS = ["sqlite", "postgres", "file"];
export const POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/test";

/** `file` is today's file store: no `storage` key at all, so the gateway runs exactly as before the drivers. */
export function storageSection(driver, schema) {
  if (driver === "file") return undefined;
  if (driver === "sqlite") return { driver };
  return { driver, url: POSTGRES_URL, schema };
}

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

const psql = (sql) =>
  execFileSync("psql", [POSTGRES_URL, "-v", "ON_ERROR_STOP=1", "-qAtc", sql], { stdio: "pipe" }).toString();

/** A fresh schema `bench_<random>`; the caller drops it with `dropPostgresSchema` however the run ends. */
export function createPostgresSchema() {
  const schema = `bench_${randomBytes(6).toString("hex")}`;
  try {
    psql(`CREATE SCHEMA ${schema}`);
  } catch (error) {
    throw new Error(
      `cannot create schema ${schema} at ${POSTGRES_URL} (${error.stderr?.toString().trim() || error.message}): is PostgreSQL running there with trust auth?`,
    );
  }
  return schema;
}

export function dropPostgresSchema(schema) {
  psql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
}

/**
 * Spawns `openclaw gateway` on `stateDir` and polls until a client completes the handshake. `startMs` is spawn ->
 * hello-ok, the restart figure. Polls every 2 ms: our gateway never answers "retry later", it either is not
 * listening yet or is up.
 */
export async function startGateway({ stateDir, token, timeoutMs }) {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [cli, "gateway", "--port", String(port)], {
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
