// Gateway processes for bench/cluster.mjs: `openclaw gateway` (the built CLI, as users start it) on a fresh state dir
// and a free loopback port, sharing a PostgreSQL schema when the config says so. Every process, state dir and
// schema this module made is removed however the bench ends (error, Ctrl-C), so an interrupted run leaves nothing.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { cli, freePort } from "./bench-support.mjs";
import { ConnectRejectedError, connect } from "./gateway-client.mjs";
import { createPostgresSchema, dropPostgresSchema, POSTGRES_URL } from "./storage-config.mjs";

const START_TIMEOUT_MS = 30_000;
const appLauncher = fileURLToPath(new URL("./gateway-app.mjs", import.meta.url));
const live = new Set();
const stateDirs = new Set();
const schemas = new Set();

function abandonAll() {
  for (const child of live) child.kill("SIGKILL");
  for (const dir of stateDirs) rmSync(dir, { recursive: true, force: true });
  for (const schema of schemas) {
    try {
      dropPostgresSchema(schema);
    } catch {
      // best effort on the way out; the next run's schema has another name
    }
  }
}
process.on("exit", abandonAll);
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    abandonAll();
    process.exit(130);
  });
}

/** A fresh PostgreSQL schema for one cluster; `dropSchema` removes it (and the exit hook does, if forgotten). */
export function newSchema() {
  const schema = createPostgresSchema();
  schemas.add(schema);
  return schema;
}

export function dropSchema(schema) {
  schemas.delete(schema);
  dropPostgresSchema(schema);
}

/**
 * The openclaw.json every instance of a run shares: the fake model as the default agent's model, the store
 * (`schema` for PostgreSQL, at `url` or the shared test database; none for the default SQLite), and optionally one Telegram bot account.
 */
export function gatewayConfig({ model, schema, telegram, url = POSTGRES_URL }) {
  return {
    ...(schema ? { storage: { driver: "postgres", url, schema } } : {}),
    models: {
      providers: {
        fake: {
          baseUrl: model.baseUrlFor("openai-completions"),
          apiKey: "x",
          api: "openai-completions",
          models: [{ id: "instant", contextWindow: 128_000 }],
        },
      },
    },
    agents: { defaults: { model: { primary: "fake/instant" } } },
    ...(telegram
      ? {
          channels: {
            telegram: {
              botToken: telegram.server.token,
              apiRoot: telegram.server.apiRoot,
              allowFrom: telegram.allowFrom,
            },
          },
        }
      : {}),
  };
}

/**
 * Starts one gateway process and resolves once a client completed the handshake. The returned instance can be
 * killed (-9), stopped (SIGTERM) and restarted on the same state dir and port; `onEvent` sees its client's events.
 */
export async function startInstance({ config, token, name, onEvent, via = "cli" }) {
  const stateDir = mkdtempSync(join(tmpdir(), `openclaw-bench-cluster-${name}-`));
  stateDirs.add(stateDir);
  writeFileSync(join(stateDir, "openclaw.json"), JSON.stringify(config));
  const port = await freePort();
  const instance = { name, stateDir, port, url: `ws://127.0.0.1:${port}`, token };
  const launch = async () => {
    // `via: "app"`: bench/gateway-app.mjs (the unbundled @openclaw/gateway build) instead of the CLI bundle.
    const args = via === "app" ? [appLauncher, String(port)] : [cli, "gateway", "--port", String(port)];
    const child = spawn(process.execPath, args, {
      env: { ...process.env, OPENCLAW_STATE_DIR: stateDir, OPENCLAW_GATEWAY_TOKEN: token },
      stdio: ["ignore", "ignore", "pipe"],
    });
    live.add(child);
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr = (stderr + chunk).slice(-8192);
    });
    instance.exited = new Promise((done) =>
      child.once("exit", (_code, signal) => {
        live.delete(child);
        done(signal);
      }),
    );
    instance.child = child;
    instance.log = () => stderr;
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      try {
        instance.client = await connect(instance.url, token, { onEvent });
        break;
      } catch (error) {
        if (error instanceof ConnectRejectedError || child.exitCode !== null || Date.now() > deadline) {
          child.kill("SIGKILL");
          throw new Error(`gateway ${name} did not start: ${error.message}\n${stderr}`);
        }
        await new Promise((resume) => setTimeout(resume, 5));
      }
    }
    instance.instanceId = (await instance.client.request("system.info", {})).processInstanceId;
  };
  instance.running = () => instance.child.exitCode === null && instance.child.signalCode === null;
  instance.kill = async () => {
    if (instance.running()) instance.child.kill("SIGKILL");
    await instance.exited;
  };
  instance.stop = async () => {
    instance.client?.close();
    if (instance.running()) {
      instance.child.kill("SIGTERM");
      const timer = setTimeout(() => instance.child.kill("SIGKILL"), 20_000);
      await instance.exited;
      clearTimeout(timer);
    }
  };
  instance.restart = launch;
  /** Stops it and removes its state dir. */
  instance.remove = async () => {
    await instance.stop();
    stateDirs.delete(stateDir);
    rmSync(stateDir, { recursive: true, force: true });
  };
  await launch();
  return instance;
}

/** Starts `size` instances on one config: the first alone (it creates the schema's tables), then the rest at once. */
export async function startInstances({ size, config, token, onEvent, via, names = "ABCDEFGHIJ" }) {
  const first = await startInstance({ config, token, name: names[0], onEvent, via });
  const rest = await Promise.all(
    Array.from({ length: size - 1 }, (_, i) =>
      startInstance({ config, token, name: names[i + 1], onEvent, via }),
    ),
  );
  return [first, ...rest];
}
