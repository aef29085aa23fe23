import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer as createHttpServer, type IncomingHttpHeaders } from "node:http";
import { createServer as createNetServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startGatewayServer } from "@openclaw/gateway";
import pg from "pg";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import type { Output } from "../../output.js";
import type { DoctorCheck } from "./doctor-check.js";
import { runDoctor } from "./run-doctor.js";

const cleanups: (() => Promise<unknown>)[] = [];

beforeEach(() => {
  // connectToGateway reads process.env; keep it away from the real ~/.openclaw.
  vi.stubEnv("OPENCLAW_STATE_DIR", join(tmpdir(), "openclaw-doctor-none"));
  vi.stubEnv("OPENCLAW_CONFIG_PATH", "");
});

afterEach(async () => {
  vi.unstubAllEnvs();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function strongToken(): string {
  return randomBytes(32).toString("hex");
}

async function stateDirWith(config: unknown, mode = 0o600): Promise<{ dir: string; configPath: string }> {
  const dir = await mkdtemp(join(tmpdir(), "openclaw-doctor-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const configPath = join(dir, "openclaw.json");
  await writeFile(configPath, typeof config === "string" ? config : JSON.stringify(config), { mode });
  await chmod(configPath, mode);
  return { dir, configPath };
}

function listen(server: Server | ReturnType<typeof createHttpServer>): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      cleanups.push(() => new Promise((done) => server.close(done)));
      resolve((server.address() as { port: number }).port);
    });
  });
}

async function freePort(): Promise<number> {
  const server = createNetServer();
  const port = await new Promise<number>((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)),
  );
  await new Promise((done) => server.close(done));
  return port;
}

function captureOutput(): Output & { text: () => string } {
  const lines: string[] = [];
  return { out: (t) => lines.push(t), err: (t) => lines.push(t), text: () => lines.join("\n") };
}

/**
 * The doctor's probe timeout in these tests: every probe here answers or is refused at once, so this only bounds a
 * failure; generous, as a loaded CI machine answers slowly (issue 17).
 */
const PROBE_TIMEOUT_MS = 15_000;

async function doctor(dir: string, options: Parameters<typeof runDoctor>[0] = {}) {
  const output = captureOutput();
  const code = await runDoctor({ json: true, timeout: PROBE_TIMEOUT_MS, ...options }, output, {
    env: { OPENCLAW_STATE_DIR: dir },
  });
  const checks = JSON.parse(output.text()) as DoctorCheck[];
  return { code, checks, find: (id: string) => checks.filter((item) => item.id === id) };
}

it("reports an invalid config value as an error naming its path and the fix", async () => {
  const { dir } = await stateDirWith('{ gateway: { port: "eighteen" } }');
  const { code, find } = await doctor(dir);
  expect(code).toBe(1);
  const [issue] = find("config");
  expect(issue?.status).toBe("error");
  expect(issue?.message).toMatch(/^gateway\.port: /);
  expect(issue?.fix).toContain("openclaw config set gateway.port");
  expect(find("gateway")[0]?.status).toBe("skipped");
});

it("names each OpenClaw key the gateway does not act on, with what happens instead, and stays quiet about bindings", async () => {
  const { dir, configPath } = await stateDirWith({
    gateway: { port: await freePort(), auth: { mode: "token", token: strongToken() } },
    agents: { defaults: { verboseDefault: "on" }, entries: { main: { default: true } } },
    bindings: [
      { agentId: "main", match: { channel: "discord", guildId: "1", peer: { kind: "direct", id: "2" } } },
    ],
    session: { sharing: { spectate: false } },
    discovery: { mdns: { mode: "off" } },
    gatway: {},
  });
  const { code, checks, find } = await doctor(dir, { probe: false });
  expect(code).toBe(0);
  expect(find("config-key")).toEqual([
    {
      id: "config-key",
      status: "warn",
      message:
        "`agents.defaults.verboseDefault` is not supported by this gateway: tool calls are not echoed into replies",
      fix: `remove \`agents.defaults.verboseDefault\` from ${configPath}, or keep it knowing it has no effect here`,
    },
    {
      id: "config-key",
      status: "warn",
      message: "`session.sharing` is not supported by this gateway: sessions are not shared between owners",
      fix: `remove \`session.sharing\` from ${configPath}, or keep it knowing it has no effect here`,
    },
    {
      id: "config-key",
      status: "warn",
      message:
        "`discovery` is not supported by this gateway: no mDNS or wide-area advertisement; clients need the gateway's URL",
      fix: `remove \`discovery\` from ${configPath}, or keep it knowing it has no effect here`,
    },
    {
      id: "config-key",
      status: "warn",
      message: "`gatway` is not a setting this gateway knows and is ignored (check the spelling)",
      fix: `correct or remove \`gatway\` in ${configPath}`,
    },
  ]);
  // Peer, guild and account bindings route messages: no word about them being unimplemented.
  expect(JSON.stringify(checks)).not.toMatch(/bindings|not implemented/);
});

it("reports a port taken by a process that is not a gateway", async () => {
  const squatter = createNetServer((socket) => socket.destroy());
  const port = await listen(squatter);
  const { dir } = await stateDirWith({ gateway: { port, auth: { mode: "token", token: strongToken() } } });
  const { code, find } = await doctor(dir, { probe: false });
  expect(code).toBe(1);
  expect(find("port")[0]).toMatchObject({ status: "error" });
  expect(find("port")[0]?.message).toContain(`port ${port} is taken by another process`);
  expect(find("port")[0]?.fix).toContain("openclaw config set gateway.port");
});

it("reports a port held by a running gateway that answers health, and probes its channels", async () => {
  const token = strongToken();
  const { dir } = await stateDirWith({ gateway: { auth: { mode: "token", token } } });
  const server = await startGatewayServer(0, { stateDir: dir, env: {}, auth: { mode: "token", token } });
  cleanups.push(() => server.close());
  const output = captureOutput();
  const code = await runDoctor({ json: true, timeout: PROBE_TIMEOUT_MS, probe: true }, output, {
    env: { OPENCLAW_STATE_DIR: dir, OPENCLAW_GATEWAY_PORT: String(server.port) },
  });
  const checks = JSON.parse(output.text()) as DoctorCheck[];
  expect(checks.find((item) => item.id === "port")).toMatchObject({
    status: "ok",
    message: `port ${server.port} is held by a running gateway that answers health`,
  });
  const channels = checks.find((item) => item.id === "channels");
  expect(channels?.status, channels?.message).toBe("ok");
  expect(code).toBe(0);
});

it("refuses a LAN bind without auth", async () => {
  const { dir } = await stateDirWith({
    gateway: { port: await freePort(), bind: "lan", auth: { mode: "none" } },
  });
  const { code, find } = await doctor(dir, { probe: false });
  expect(code).toBe(1);
  expect(find("bind-safety")[0]).toMatchObject({ status: "error" });
  expect(find("bind-safety")[0]?.fix).toContain("gateway.auth.mode token");
});

it("warns about a LAN bind with a short token", async () => {
  const { dir } = await stateDirWith({
    gateway: { port: await freePort(), bind: "lan", auth: { mode: "token", token: "k3y-9a7f2" } },
  });
  const { find } = await doctor(dir, { probe: false });
  expect(find("bind-safety")[0]?.status).toBe("warn");
  expect(find("token-strength")[0]?.status).toBe("warn");
});

it("calls a placeholder token an error", async () => {
  const { dir } = await stateDirWith({
    gateway: { port: await freePort(), auth: { mode: "token", token: "changeme" } },
  });
  const { code, find } = await doctor(dir, { probe: false });
  expect(find("token-strength")[0]?.status).toBe("error");
  expect(code).toBe(1);
});

it("passes a good config with exit code 0 and prints a readable checklist", async () => {
  const token = strongToken();
  const { dir } = await stateDirWith({ gateway: { port: await freePort(), auth: { mode: "token", token } } });
  const output = captureOutput();
  const code = await runDoctor({ timeout: PROBE_TIMEOUT_MS }, output, { env: { OPENCLAW_STATE_DIR: dir } });
  expect(code).toBe(0);
  const text = output.text();
  expect(text).toContain("✓ config ");
  expect(text).toContain("✓ gateway token is 64 characters");
  expect(text).toMatch(/✓ port \d+ is free/);
  expect(text).toContain("! no model provider is configured");
  expect(text).toContain("    fix: `openclaw config --section models`");
  expect(text).toContain("- channel probes need a running gateway");
  expect(text).not.toContain(token);
});

it("fails on a Node.js older than 22.12", async () => {
  const { dir } = await stateDirWith({});
  const output = captureOutput();
  const code = await runDoctor({ json: true, probe: false }, output, {
    env: { OPENCLAW_STATE_DIR: dir },
    nodeVersion: "22.11.0",
  });
  const checks = JSON.parse(output.text()) as DoctorCheck[];
  expect(checks[0]).toMatchObject({ id: "node-version", status: "error" });
  expect(code).toBe(1);
});

it("checks each provider's /models with its key and never prints the key", async () => {
  const apiKey = `sk-test-${strongToken()}`;
  const seen: IncomingHttpHeaders[] = [];
  const modelServer = createHttpServer((request, response) => {
    seen.push(request.headers);
    if (request.url === "/v1/models") {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ object: "list", data: [{ id: "local-model" }] }));
      return;
    }
    response.writeHead(404).end();
  });
  const port = await listen(modelServer);
  const closedPort = await freePort();
  const { dir } = await stateDirWith({
    gateway: { port: await freePort(), auth: { mode: "token", token: strongToken() } },
    models: {
      providers: {
        local: { baseUrl: `http://127.0.0.1:${port}/v1`, apiKey, models: [{ id: "local-model" }] },
        gone: { baseUrl: `http://127.0.0.1:${closedPort}/v1`, models: [{ id: "m" }] },
        inline: {
          baseUrl: `http://me:hunter22@127.0.0.1:${closedPort}/v1?key=hunter22`,
          models: [{ id: "m" }],
        },
      },
    },
  });
  const output = captureOutput();
  await runDoctor({ json: true, timeout: PROBE_TIMEOUT_MS }, output, { env: { OPENCLAW_STATE_DIR: dir } });
  const checks = JSON.parse(output.text()) as DoctorCheck[];
  expect(checks.find((item) => item.id === "provider:local")).toMatchObject({ status: "ok" });
  expect(checks.find((item) => item.id === "provider:local")?.message).toContain("HTTP 200");
  expect(checks.find((item) => item.id === "provider:gone")).toMatchObject({ status: "error" });
  expect(checks.find((item) => item.id === "provider:gone")?.message).toContain("unreachable");
  expect(seen[0]?.authorization).toBe(`Bearer ${apiKey}`);
  expect(checks.find((item) => item.id === "provider:inline")?.status).toBe("error");
  expect(output.text()).not.toContain(apiKey);
  expect(output.text()).not.toContain("hunter22");
});

it("sends a key from an env SecretRef and does not probe a key it cannot read", async () => {
  const apiKey = `sk-ref-${strongToken()}`;
  const seen: IncomingHttpHeaders[] = [];
  const modelServer = createHttpServer((request, response) => {
    seen.push(request.headers);
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ object: "list", data: [] }));
  });
  const port = await listen(modelServer);
  const { dir } = await stateDirWith({
    gateway: { port: await freePort(), auth: { mode: "token", token: strongToken() } },
    models: {
      providers: {
        fromEnv: {
          baseUrl: `http://127.0.0.1:${port}/v1`,
          apiKey: { source: "env", id: "REF_TEST_KEY" },
          models: [{ id: "m" }],
        },
        fromFile: {
          baseUrl: `http://127.0.0.1:${port}/v1`,
          apiKey: { source: "file", provider: "vault", id: "/keys/model" },
          models: [{ id: "m" }],
        },
      },
    },
  });
  const output = captureOutput();
  await runDoctor({ json: true, timeout: PROBE_TIMEOUT_MS }, output, {
    env: { OPENCLAW_STATE_DIR: dir, REF_TEST_KEY: apiKey },
  });
  const checks = JSON.parse(output.text()) as DoctorCheck[];
  expect(checks.find((item) => item.id === "provider:fromEnv")).toMatchObject({ status: "ok" });
  expect(checks.find((item) => item.id === "provider:fromFile")).toMatchObject({
    status: "skipped",
    message: expect.stringContaining('"file" secret reference'),
  });
  expect(seen.map((headers) => headers.authorization)).toEqual([`Bearer ${apiKey}`]);
  expect(output.text()).not.toContain(apiKey);
  modelServer.close();
});

it("warns when a config holding a token is readable by others, with the chmod fix", async () => {
  const { dir, configPath } = await stateDirWith(
    { gateway: { port: await freePort(), auth: { mode: "token", token: strongToken() } } },
    0o644,
  );
  const { code, find } = await doctor(dir, { probe: false });
  const [permissions] = find("config-permissions");
  expect(permissions?.status).toBe("warn");
  expect(permissions?.message).toContain("gateway.auth.token");
  expect(permissions?.fix).toBe(`chmod 600 ${configPath}`);
  expect(code).toBe(0);
});

it("warns about a group-writable state dir", async () => {
  const { dir } = await stateDirWith({ gateway: { port: await freePort() } });
  await chmod(dir, 0o770);
  const { find } = await doctor(dir, { probe: false });
  expect(find("state-dir")[0]).toMatchObject({ status: "warn", fix: `chmod 700 ${dir}` });
});

it("reports Tailscale funnel without password auth, and serve beyond loopback, before a start fails on them", async () => {
  const funnel = await stateDirWith({
    gateway: { auth: { mode: "token", token: strongToken() }, tailscale: { mode: "funnel" } },
  });
  const funnelReport = await doctor(funnel.dir, { probe: false });
  expect(funnelReport.code).toBe(1);
  expect(funnelReport.find("tailscale")[0]).toMatchObject({ status: "error" });
  expect(funnelReport.find("tailscale")[0]?.message).toContain("funnel needs password auth");

  const serve = await stateDirWith({
    gateway: { bind: "lan", auth: { mode: "token", token: strongToken() }, tailscale: { mode: "serve" } },
  });
  expect((await doctor(serve.dir, { probe: false })).find("tailscale")[0]?.message).toContain(
    'gateway.bind is "lan"',
  );

  const off = await stateDirWith({ gateway: { auth: { mode: "token", token: strongToken() } } });
  expect((await doctor(off.dir, { probe: false })).find("tailscale")[0]).toMatchObject({ status: "ok" });
});

it("names the storage: SQLite not created yet, then its sessions once a gateway wrote some", async () => {
  const token = strongToken();
  const { dir } = await stateDirWith({ gateway: { auth: { mode: "token", token } } });
  expect((await doctor(dir, { probe: false })).find("storage")).toEqual([
    expect.objectContaining({
      status: "ok",
      message: expect.stringContaining("created on the gateway's first start"),
    }),
  ]);
  const server = await startGatewayServer(0, { stateDir: dir, auth: { mode: "token", token }, env: {} });
  await server.runtime.sessions.patch("agent:main:doctor", { label: "Doctor" });
  await server.close();
  expect((await doctor(dir, { probe: false })).find("storage")).toEqual([
    expect.objectContaining({
      status: "ok",
      message: `storage: sqlite at ${join(dir, "state", "gateway.sqlite")}, 1 session(s)`,
    }),
  ]);
});

it("reports storage that cannot be opened as an error with the config keys to check", async () => {
  const { dir } = await stateDirWith({
    storage: { driver: "postgres", url: `postgres://postgres@127.0.0.1:${await freePort()}/test` },
  });
  const { code, find } = await doctor(dir, { probe: false });
  expect(code).toBe(1);
  expect(find("storage")).toEqual([
    expect.objectContaining({
      status: "error",
      message: expect.stringContaining("cannot reach PostgreSQL"),
      fix: expect.stringContaining("storage.url"),
    }),
  ]);
});

it("checks a PostgreSQL cluster: clock skew against the database, schema version, live instances", async () => {
  const schema = `oc_test_doctor_${randomBytes(5).toString("hex")}`;
  const url = process.env.OPENCLAW_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
  cleanups.push(async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  });
  const token = strongToken();
  const { dir } = await stateDirWith({
    gateway: { auth: { mode: "token", token } },
    storage: { driver: "postgres", url, schema },
  });
  const server = await startGatewayServer(0, { stateDir: dir, auth: { mode: "token", token }, env: {} });
  cleanups.push(() => server.close());
  const { find } = await doctor(dir, { probe: false });
  expect(find("cluster.clock")).toEqual([
    expect.objectContaining({
      status: "ok",
      message: expect.stringMatching(/^clock: this host is \d+ ms (ahead of|behind) the database$/),
    }),
  ]);
  expect(find("cluster.schema")).toEqual([
    expect.objectContaining({
      status: "ok",
      message: expect.stringMatching(/^schema: version (\d+) in the database, this gateway expects \1$/),
    }),
  ]);
  expect(find("cluster.members")).toEqual([
    expect.objectContaining({
      status: "ok",
      message: expect.stringContaining(`1 instance(s) alive: 127.0.0.1:${server.port}`),
    }),
  ]);
});
