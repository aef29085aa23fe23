import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type FakeModelServer,
  type FakeTelegramServer,
  type OpenClawRelease,
  startFakeModelServer,
  startFakeTelegramServer,
} from "@openclaw/testing";
import { type GatewayServer, startGatewayServer } from "./index.js";

/** Our gateway with a fake model (and optionally a fake Telegram), as OpenClaw's CLI and TUI meet it. */
export interface CompatGateway {
  server: GatewayServer;
  token: string;
  stateDir: string;
  model: FakeModelServer;
  telegram: FakeTelegramServer | undefined;
  close(): Promise<void>;
}

export async function startCompatGateway(options: { telegram?: boolean } = {}): Promise<CompatGateway> {
  const stateDir = await mkdtemp(join(tmpdir(), "openclaw-compat-gateway-"));
  const model = await startFakeModelServer();
  const telegram = options.telegram ? await startFakeTelegramServer() : undefined;
  const config = {
    models: {
      providers: {
        fake: {
          baseUrl: model.baseUrlFor("openai-completions"),
          apiKey: "k",
          api: "openai-completions",
          models: [{ id: "instant" }],
        },
      },
    },
    agents: { defaults: { model: { primary: "fake/instant" } } },
    ...(telegram
      ? {
          channels: {
            telegram: { botToken: telegram.token, apiRoot: telegram.apiRoot, pollTimeoutSeconds: 1 },
          },
        }
      : {}),
  };
  await writeFile(join(stateDir, "openclaw.json"), JSON.stringify(config));
  const token = randomBytes(32).toString("hex");
  const server = await startGatewayServer(0, { stateDir, env: {}, auth: { mode: "token", token } });
  return {
    server,
    token,
    stateDir,
    model,
    telegram,
    async close() {
      await server.close({ reason: "test finished" });
      await telegram?.close();
      await model.close();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}

/**
 * A home of its own for OpenClaw's CLI: `HOME` and `OPENCLAW_STATE_DIR` point into a temp folder, so the real
 * `~/.openclaw` is never read or written, and its config says what an OpenClaw user's does for a gateway on another
 * host (`gateway.mode: "remote"` with `gateway.remote.url` and `token`). Its file log goes there too.
 */
export interface OpenClawClientHome {
  home: string;
  stateDir: string;
  env: NodeJS.ProcessEnv;
  remove(): Promise<void>;
}

export async function createOpenClawClientHome(
  gatewayUrl: string,
  token: string,
): Promise<OpenClawClientHome> {
  const home = await mkdtemp(join(tmpdir(), "openclaw-cli-home-"));
  const stateDir = join(home, ".openclaw");
  await mkdir(stateDir, { recursive: true });
  const config = {
    gateway: { mode: "remote", remote: { url: gatewayUrl, token } },
    logging: { file: join(home, "openclaw-cli.log") },
  };
  await writeFile(join(stateDir, "openclaw.json"), JSON.stringify(config, null, 2));
  // Only what the CLI needs: no OPENCLAW_* of the parent (a developer's token or URL must not leak into the test).
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home,
    OPENCLAW_STATE_DIR: stateDir,
    NO_COLOR: "1",
    TZ: "UTC",
    LANG: "C.UTF-8",
  };
  return { home, stateDir, env, remove: () => rm(home, { recursive: true, force: true }) };
}

export interface OpenClawCliRun {
  args: string[];
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs OpenClaw's own CLI (`node <release>/openclaw.mjs ...`) in that home and collects what it printed. */
export function runOpenClaw(
  release: OpenClawRelease,
  client: OpenClawClientHome,
  args: string[],
  timeoutMs = 120_000,
): Promise<OpenClawCliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [release.bin, ...args],
      { env: client.env, cwd: client.home, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ args, code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

/** The JSON document a `--json` command printed; the failure names the command and shows its output. */
export function jsonOutput<T = Record<string, unknown>>(run: OpenClawCliRun): T {
  const describe = () =>
    `openclaw ${run.args.join(" ")} exited ${run.code}\nstdout: ${run.stdout.slice(0, 2_000)}\nstderr: ${run.stderr.slice(0, 2_000)}`;
  if (run.code !== 0) throw new Error(describe());
  const start = run.stdout.search(/^[{[]/m);
  if (start < 0) throw new Error(`no JSON in the output of ${describe()}`);
  try {
    return JSON.parse(run.stdout.slice(start)) as T;
  } catch (error) {
    throw new Error(`unparsable JSON (${(error as Error).message}) in ${describe()}`);
  }
}
