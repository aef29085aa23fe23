// How each gateway under test is launched: our CLI, and optionally the real OpenClaw gateway as the baseline.
import { spawn } from "node:child_process";
import { existsSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { cli, freePort } from "./bench-support.mjs";
import { ConnectRejectedError, connect } from "./gateway-client.mjs";

/**
 * Our gateway through the real CLI, exactly as a user starts it; with `config`, that object is its
 * `openclaw.json` (written into the fresh state dir before each start).
 */
export function ourGateway({
  cli,
  coldStartRuns,
  idleConnections,
  config,
  name = "ours",
  label = "this gateway",
}) {
  return {
    name,
    label,
    coldStartRuns,
    idleConnections,
    startTimeoutMs: 15_000,
    // Our gateway has no start-up phase that answers "retry later", so polling fast only measures it better.
    retryDelayMs: 2,
    connectBatch: 50,
    ownProcessGroup: false,
    strict: true,
    launch({ stateDir, port, token }) {
      if (config) writeFileSync(join(stateDir, "openclaw.json"), JSON.stringify(config));
      return {
        command: process.execPath,
        args: [cli, "gateway", "--port", String(port)],
        env: { ...process.env, OPENCLAW_STATE_DIR: stateDir, OPENCLAW_GATEWAY_TOKEN: token },
      };
    },
  };
}

const appLauncher = fileURLToPath(new URL("./gateway-app.mjs", import.meta.url));

/**
 * Starts our gateway through the real CLI (`via: "app"`: bench/gateway-app.mjs, the unbundled @openclaw/gateway)
 * on a free port with `stateDir` and `token`; resolves once a client completed the handshake, with that client,
 * the child and a promise of the signal that ended it.
 */
export async function startOurGateway(stateDir, token, { via = "cli" } = {}) {
  const port = await freePort();
  const target = ourGateway({ cli, coldStartRuns: 0, idleConnections: 0 });
  const launch = target.launch({ stateDir, port, token });
  const args = via === "cli" ? launch.args : [appLauncher, String(port)];
  const child = spawn(launch.command, args, { env: launch.env, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr = (stderr + chunk).slice(-8192);
  });
  const exited = new Promise((done) => child.once("exit", (_code, signal) => done(signal)));
  const url = `ws://127.0.0.1:${port}`;
  const deadline = Date.now() + target.startTimeoutMs;
  for (;;) {
    try {
      const client = await connect(url, token);
      return { child, exited, url, port, httpUrl: `http://127.0.0.1:${port}`, client };
    } catch (error) {
      if (error instanceof ConnectRejectedError || child.exitCode !== null || Date.now() > deadline) {
        child.kill("SIGKILL");
        throw new Error(`the gateway did not start: ${error.message}\n${stderr}`);
      }
      await new Promise((resume) => setTimeout(resume, target.retryDelayMs));
    }
  }
}

function packageVersion(bin) {
  try {
    const entry = realpathSync(bin);
    for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
      try {
        const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
        if (pkg.name === "openclaw") return pkg.version;
      } catch {
        // no package.json at this level; keep walking up
      }
    }
  } catch {
    // an unreadable bin is reported when it fails to start
  }
  return "unknown";
}

function runsOnNode(bin) {
  if (/\.[cm]?js$/.test(realpathSync(bin))) return true;
  const firstLine = readFileSync(bin, "utf8").slice(0, 200).split("\n")[0];
  return /^#!.*\bnode\b/.test(firstLine);
}

/**
 * The real OpenClaw gateway from an npm install. Everything it would reach beyond loopback is switched off the
 * ways its docs allow (update check, telemetry, hosted model catalog, mDNS, channels), its state, config, caches
 * and log file live in a private temporary directory, and it gets a minimal environment so no ambient API key
 * or channel variable changes what it starts.
 */
export function baselineGateway({ bin, coldStartRuns, idleConnections, startTimeoutSeconds }) {
  if (!existsSync(bin)) {
    throw new Error(`--baseline=${bin} does not exist; bench/README.md says how to install the real gateway`);
  }
  const onNode = runsOnNode(bin);
  return {
    name: "baseline",
    label: `OpenClaw ${packageVersion(bin)}`,
    coldStartRuns,
    idleConnections,
    startTimeoutMs: startTimeoutSeconds * 1000,
    // While its start-up sidecars run it accepts the socket and answers connect with a retryable UNAVAILABLE;
    // hammering it every 2 ms would slow the very start-up being measured.
    retryDelayMs: 25,
    // It answers HTTP 503 to a WebSocket upgrade while 32 handshakes from one IP are unfinished
    // (DEFAULT_MAX_PREAUTH_CONNECTIONS_PER_IP in its source), so idle connections are opened fewer at a time.
    connectBatch: 16,
    ownProcessGroup: true,
    strict: false,
    launch({ stateDir, port, token }) {
      const configPath = join(stateDir, "openclaw.json");
      writeFileSync(
        configPath,
        JSON.stringify({
          gateway: { mode: "local", bind: "loopback", auth: { mode: "token" } },
          update: { checkOnStart: false },
          telemetry: { enabled: false },
          discovery: { mdns: { mode: "off" } },
          models: { catalogRefresh: { enabled: false } },
          logging: { file: join(stateDir, "gateway.log") },
        }),
      );
      const inherited = Object.fromEntries(
        ["PATH", "LANG", "LC_ALL", "TZ"]
          .filter((key) => process.env[key])
          .map((key) => [key, process.env[key]]),
      );
      const args = ["gateway", "--port", String(port)];
      return {
        command: onNode ? process.execPath : bin,
        args: onNode ? [bin, ...args] : args,
        env: {
          ...inherited,
          HOME: stateDir,
          XDG_CACHE_HOME: join(stateDir, "cache"),
          OPENCLAW_STATE_DIR: stateDir,
          OPENCLAW_CONFIG_PATH: configPath,
          OPENCLAW_GATEWAY_TOKEN: token,
          OPENCLAW_NO_AUTO_UPDATE: "1",
          OPENCLAW_DISABLE_BONJOUR: "1",
          OPENCLAW_SKIP_CHANNELS: "1",
          OPENCLAW_NO_RESPAWN: "1",
          OPENCLAW_EXEC_SHELL_SNAPSHOT: "0",
          DO_NOT_TRACK: "1",
        },
      };
    },
  };
}
