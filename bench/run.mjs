#!/usr/bin/env node
// One command, numbers out: cold start, idle RSS, RSS with N idle connections, health latency and throughput.
// The gateway runs as a child process (the real CLI); this process is only the load generator.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import WebSocket from "ws";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cli = join(root, "packages/cli/dist/bin.js");
const args = new Map(
  process.argv.slice(2).map((arg) => {
    const [key, value = "true"] = arg.replace(/^--/, "").split("=");
    return [key, value];
  }),
);
const config = {
  coldStartRuns: Number(args.get("cold-runs") ?? 5),
  idleConnections: Number(args.get("connections") ?? 1000),
  latencyRequests: Number(args.get("latency-requests") ?? 5000),
  throughputClients: Number(args.get("clients") ?? 20),
  inFlight: Number(args.get("in-flight") ?? 8),
  throughputSeconds: Number(args.get("seconds") ?? 5),
};
const budgets = { coldStartMs: 300, idleRssMb: 80, healthP50Ms: 0.3, throughputRps: 20_000 };

const progress = (text) => process.stderr.write(`bench: ${text}\n`);

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Opens a connection and completes the v4 handshake; resolves with a small request helper. */
function connect(url, token) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    const pending = new Map();
    let nextId = 0;
    ws.on("error", reject);
    ws.on("message", (data) => {
      const frame = JSON.parse(data.toString());
      if (frame.type === "event" && frame.event === "connect.challenge") {
        ws.send(
          JSON.stringify({
            type: "req",
            id: "connect",
            method: "connect",
            params: {
              minProtocol: 4,
              maxProtocol: 4,
              client: { id: "test", version: "bench", platform: process.platform, mode: "test" },
              auth: { token },
            },
          }),
        );
        return;
      }
      if (frame.type !== "res") return;
      if (frame.id === "connect") {
        if (!frame.ok) reject(new Error(frame.error.message));
        else
          resolve({
            ws,
            request(method, params) {
              const id = String(nextId++);
              return new Promise((done, fail) => {
                pending.set(id, { done, fail });
                ws.send(JSON.stringify({ type: "req", id, method, params }));
              });
            },
            close: () => ws.close(),
          });
        return;
      }
      const waiter = pending.get(frame.id);
      pending.delete(frame.id);
      if (frame.ok) waiter?.done(frame.payload);
      else waiter?.fail(new Error(frame.error.message));
    });
  });
}

async function startGateway() {
  const stateDir = mkdtempSync(join(tmpdir(), "openclaw-bench-"));
  const port = await freePort();
  const token = randomBytes(32).toString("hex");
  const started = performance.now();
  const child = spawn(process.execPath, [cli, "gateway", "--port", String(port)], {
    env: { ...process.env, OPENCLAW_STATE_DIR: stateDir, OPENCLAW_GATEWAY_TOKEN: token },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  child.once("exit", (code, signal) => {
    if (!stopping.has(child)) progress(`gateway exited unexpectedly (${code ?? signal}):\n${stderr}`);
  });
  const url = `ws://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      const client = await connect(url, token);
      const coldStartMs = performance.now() - started;
      return { child, client, url, token, stateDir, coldStartMs };
    } catch (error) {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill("SIGKILL");
        throw new Error(`gateway did not start: ${error.message}\n${stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }
}

const stopping = new WeakSet();

async function stopGateway(gateway) {
  stopping.add(gateway.child);
  gateway.client.close();
  const exited = new Promise((resolve) => gateway.child.once("exit", resolve));
  gateway.child.kill("SIGTERM");
  await exited;
  rmSync(gateway.stateDir, { recursive: true, force: true });
}

async function measureColdStart() {
  const samples = [];
  for (let run = 0; run < config.coldStartRuns; run += 1) {
    const gateway = await startGateway();
    samples.push(gateway.coldStartMs);
    await stopGateway(gateway);
  }
  samples.sort((a, b) => a - b);
  return { median: percentile(samples, 50), min: samples[0], max: samples[samples.length - 1] };
}

async function measureLatency(client) {
  for (let i = 0; i < 500; i += 1) await client.request("health"); // warm-up
  const samples = new Float64Array(config.latencyRequests);
  for (let i = 0; i < config.latencyRequests; i += 1) {
    const t0 = performance.now();
    await client.request("health");
    samples[i] = performance.now() - t0;
  }
  samples.sort();
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

async function measureThroughput(url, token) {
  const clients = await Promise.all(
    Array.from({ length: config.throughputClients }, () => connect(url, token)),
  );
  let completed = 0;
  let running = true;
  const loop = async (client) => {
    while (running) {
      await client.request("health");
      completed += 1;
    }
  };
  const started = performance.now();
  const loops = clients.flatMap((client) => Array.from({ length: config.inFlight }, () => loop(client)));
  await new Promise((resolve) => setTimeout(resolve, config.throughputSeconds * 1000));
  running = false;
  await Promise.all(loops);
  const seconds = (performance.now() - started) / 1000;
  for (const client of clients) client.close();
  return completed / seconds;
}

async function measureIdleConnections(gateway) {
  const clients = [];
  for (let i = 0; i < config.idleConnections; i += 50) {
    const batch = Math.min(50, config.idleConnections - i);
    clients.push(
      ...(await Promise.all(Array.from({ length: batch }, () => connect(gateway.url, gateway.token)))),
    );
  }
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const rss = rssMb(gateway.child.pid);
  for (const client of clients) client.close();
  return rss;
}

progress(`cold start x${config.coldStartRuns} (spawn of \`openclaw gateway\` -> first hello-ok)`);
const coldStart = await measureColdStart();
progress("starting the gateway for the steady-state measurements");
const gateway = await startGateway();
await new Promise((resolve) => setTimeout(resolve, 1000));
const idleRssMb = rssMb(gateway.child.pid);
progress(`health round trip x${config.latencyRequests}`);
const latency = await measureLatency(gateway.client);
progress(
  `health throughput: ${config.throughputClients} clients x ${config.inFlight} in flight for ${config.throughputSeconds}s`,
);
const throughput = await measureThroughput(gateway.url, gateway.token);
progress(`${config.idleConnections} idle authenticated connections`);
const connectionsRssMb = await measureIdleConnections(gateway);
await stopGateway(gateway);

const rows = [
  [
    "cold start (median)",
    `${coldStart.median.toFixed(0)} ms`,
    `< ${budgets.coldStartMs} ms`,
    coldStart.median < budgets.coldStartMs,
  ],
  ["idle RSS", `${idleRssMb.toFixed(1)} MB`, `< ${budgets.idleRssMb} MB`, idleRssMb < budgets.idleRssMb],
  [`RSS with ${config.idleConnections} idle connections`, `${connectionsRssMb.toFixed(1)} MB`, "-", true],
  [
    "health p50",
    `${latency.p50.toFixed(3)} ms`,
    `< ${budgets.healthP50Ms} ms`,
    latency.p50 < budgets.healthP50Ms,
  ],
  ["health p99", `${latency.p99.toFixed(3)} ms`, "-", true],
  [
    `health throughput (${config.throughputClients}x${config.inFlight})`,
    `${Math.round(throughput)} req/s`,
    `> ${budgets.throughputRps} req/s`,
    throughput > budgets.throughputRps,
  ],
];
const width = Math.max(...rows.map((row) => row[0].length));
console.log(`${"metric".padEnd(width)}  ${"measured".padStart(14)}  ${"budget".padStart(16)}  ok`);
for (const [name, value, budget, ok] of rows) {
  console.log(`${name.padEnd(width)}  ${value.padStart(14)}  ${budget.padStart(16)}  ${ok ? "yes" : "NO"}`);
}
console.log(
  JSON.stringify({
    coldStartMs: Number(coldStart.median.toFixed(1)),
    coldStartMinMs: Number(coldStart.min.toFixed(1)),
    idleRssMb: Number(idleRssMb.toFixed(1)),
    connectionsRssMb: Number(connectionsRssMb.toFixed(1)),
    idleConnections: config.idleConnections,
    healthP50Ms: Number(latency.p50.toFixed(4)),
    healthP99Ms: Number(latency.p99.toFixed(4)),
    healthThroughputRps: Math.round(throughput),
    node: process.version,
  }),
);
