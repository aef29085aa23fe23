#!/usr/bin/env node
// How fast do usage.cost and sessions.usage answer from the usage ledger? OpenClaw re-parses transcripts for them
// (users report 15-28 s and 1-2 GB per call); here they are grouped sums in the database. The ledger of a fresh
// state dir is filled with --rows rows (default 100k: turns x models over --sessions sessions, 3 agents, 3 channels,
// 4 models of which one has no price, spread over --days days) through the store package, then the real
// `openclaw gateway` serves it and each query is timed over the wire (p50/p95 of --samples calls), with the gateway's
// RSS after them.
//   node bench/usage-scale.mjs [--driver sqlite|postgres] [--rows 100000] [--sessions 2000] [--days 90] [--samples 20]
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { cli, parseArgs, percentile, progress, root } from "./bench-support.mjs";
import { rssMb } from "./process-tree.mjs";
import { startGateway, stopGateway, writeGatewayConfig } from "./session-scale-gateway.mjs";
import {
  createPostgresSchema,
  dropPostgresSchema,
  POSTGRES_URL,
  requireDriver,
  storageSection,
} from "./storage-config.mjs";

const args = parseArgs();
const driver = requireDriver(args.get("driver") ?? "sqlite");
if (driver === "file") throw new Error("--driver=file keeps no usage ledger: choose sqlite or postgres");
const config = {
  rows: Number(args.get("rows") ?? 100_000),
  sessions: Number(args.get("sessions") ?? 2_000),
  days: Number(args.get("days") ?? 90),
  samples: Number(args.get("samples") ?? 20),
};
for (const [key, value] of Object.entries(config)) {
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`--${key}: ${value} is not a whole number above 0`);
}

const storePackage = driver === "sqlite" ? "store-sqlite" : "store-postgres";
const storeEntry = join(root, `packages/${storePackage}/dist/index.js`);
for (const file of [cli, storeEntry]) {
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npx -y pnpm@10 run build\` in ${root}`);
}
const store = await import(pathToFileURL(storeEntry).href);

const stateDir = mkdtempSync(join(tmpdir(), "openclaw-bench-usage-"));
const schema = driver === "postgres" ? createPostgresSchema() : undefined;
const token = randomBytes(32).toString("hex");
let gateway;
const cleanup = () => {
  gateway?.child.kill("SIGKILL");
  rmSync(stateDir, { recursive: true, force: true });
  if (schema) dropPostgresSchema(schema);
};
process.once("SIGINT", () => {
  cleanup();
  process.exit(130);
});

const MODELS = [
  {
    provider: "openai",
    model: "gpt-4o-mini",
    price: { input: 0.15, output: 0.6, cacheRead: 0.075, cacheWrite: 0 },
  },
  { provider: "openai", model: "gpt-4o", price: { input: 2.5, output: 10, cacheRead: 1.25, cacheWrite: 0 } },
  {
    provider: "anthropic",
    model: "claude-sonnet",
    price: { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
  },
  { provider: "ollama", model: "llama3.2", price: undefined },
];
const AGENTS = ["main", "work", "ops"];
const CHANNELS = ["telegram", "slack", "webchat"];

function row(index, now) {
  const m = MODELS[index % MODELS.length];
  const session = index % config.sessions;
  const agentId = AGENTS[session % AGENTS.length];
  const tokens = {
    input: 500 + (index % 3_000),
    output: 50 + (index % 400),
    cacheRead: index % 2_000,
    cacheWrite: 0,
  };
  const cost = (kind) => (m.price ? (tokens[kind] * m.price[kind]) / 1e6 : null);
  const costs = {
    input: cost("input"),
    output: cost("output"),
    cacheRead: cost("cacheRead"),
    cacheWrite: cost("cacheWrite"),
  };
  return {
    ts: now - Math.floor((index / config.rows) * config.days * 86_400_000),
    runId: randomUUID(),
    sessionKey: `agent:${agentId}:bench-${session}`,
    agentId,
    channel: CHANNELS[session % CHANNELS.length],
    provider: m.provider,
    model: m.model,
    calls: 1 + (index % 3),
    ...tokens,
    costInput: costs.input,
    costOutput: costs.output,
    costCacheRead: costs.cacheRead,
    costCacheWrite: costs.cacheWrite,
    costTotal: m.price ? costs.input + costs.output + costs.cacheRead + costs.cacheWrite : null,
    durationMs: 300 + (index % 5_000),
    toolCalls: index % 4,
    errors: index % 50 === 0 ? 1 : 0,
  };
}

async function seed() {
  const storage =
    driver === "sqlite"
      ? await store.createSqliteStorage({ path: store.defaultSqlitePath(stateDir) })
      : await store.createPostgresStorage({ url: POSTGRES_URL, schema });
  const now = Date.now();
  const started = performance.now();
  for (let first = 0; first < config.rows; first += 1_000) {
    const batch = [];
    for (let index = first; index < Math.min(config.rows, first + 1_000); index++)
      batch.push(row(index, now));
    await storage.usage.record(batch);
    if (first % 20_000 === 0) progress(`seeded ${first} rows`);
  }
  await storage.close();
  return performance.now() - started;
}

async function timed(method, params) {
  const durations = [];
  let bytes = 0;
  for (let i = 0; i < config.samples; i++) {
    const started = performance.now();
    const payload = await gateway.client.request(method, params);
    durations.push(performance.now() - started);
    bytes = JSON.stringify(payload).length;
  }
  durations.sort((a, b) => a - b);
  return { p50: percentile(durations, 50), p95: percentile(durations, 95), bytes };
}

try {
  progress(`seeding ${config.rows} ledger rows (${driver})`);
  const seedMs = await seed();
  writeGatewayConfig(stateDir, {
    storage: storageSection(driver, schema),
    fakeBaseUrl: "http://127.0.0.1:9",
  });
  gateway = await startGateway({ stateDir, token, timeoutMs: 60_000 });
  const queries = [
    ["usage.cost 30 days, all agents", "usage.cost", { days: 30, agentScope: "all" }],
    [
      "usage.cost 90 days, Europe/Vienna",
      "usage.cost",
      { days: 90, agentScope: "all", mode: "specific", timeZone: "Europe/Vienna" },
    ],
    ["sessions.usage 7d, all agents", "sessions.usage", { range: "7d", agentScope: "all" }],
    ["sessions.usage 30d, all agents", "sessions.usage", { range: "30d", agentScope: "all" }],
    ["sessions.usage 90d, all agents", "sessions.usage", { range: "90d", agentScope: "all" }],
    [
      "sessions.usage 90d, Europe/Vienna",
      "sessions.usage",
      { range: "90d", agentScope: "all", mode: "specific", timeZone: "Europe/Vienna" },
    ],
    ["sessions.usage 90d, one agent", "sessions.usage", { range: "90d", agentId: "main" }],
  ];
  const results = [];
  for (const [label, method, params] of queries) {
    progress(label);
    results.push({ label, ...(await timed(method, params)) });
  }
  const rss = rssMb(gateway.child.pid);
  console.log(
    `\nusage ledger: ${config.rows} rows, ${config.sessions} sessions, ${config.days} days, ${driver}`,
  );
  console.log(`seeded in ${(seedMs / 1000).toFixed(1)} s; ${config.samples} calls per query over the wire\n`);
  console.log("| query | p50 ms | p95 ms | payload KB |");
  console.log("| --- | ---: | ---: | ---: |");
  for (const r of results) {
    console.log(
      `| ${r.label} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${(r.bytes / 1024).toFixed(0)} |`,
    );
  }
  console.log(`\ngateway RSS after the queries: ${rss.main.toFixed(0)} MB`);
  console.log(JSON.stringify({ bench: "usage-scale", driver, ...config, seedMs, rssMb: rss.main, results }));
  await stopGateway(gateway);
  gateway = undefined;
} finally {
  cleanup();
}
