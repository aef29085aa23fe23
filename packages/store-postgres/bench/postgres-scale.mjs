// Measures the PostgreSQL storage as the port's callers use it, at growing session counts.
// Run after a build: `node packages/store-postgres/bench/postgres-scale.mjs [url]` (default: the test database).
// Creates a throw-away schema and drops it at the end. Prints one line per size, and EXPLAIN of the list query.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { createPostgresStorage } from "../dist/index.js";

const url =
  process.argv[2] ?? process.env.OPENCLAW_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const sizes = (process.env.BENCH_SIZES ?? "1000,10000,100000").split(",").map(Number);
const samples = Number(process.env.BENCH_SAMPLES ?? 300);
const schema = `oc_bench_${randomBytes(4).toString("hex")}`;
const fillConcurrency = 16;

const storage = await createPostgresStorage({ url, schema, pool: { max: fillConcurrency } });
const versions = new Map();
const list = { archived: false, excludeKinds: ["global", "unknown"], offset: 0, limit: 50 };

function entryOf(i, updatedAt) {
  return {
    sessionId: `sess-${i}`,
    updatedAt,
    createdAt: updatedAt,
    channel: i % 3 === 0 ? "slack" : "telegram",
    label: i % 10 === 0 ? `Customer ${i}` : undefined,
    displayName: `User ${i}`,
    messageCount: 2,
    model: "gpt-5",
    ...(i % 1000 === 0 ? { pinnedAt: updatedAt } : {}),
    ...(i % 20 === 0 ? { archivedAt: updatedAt } : {}),
  };
}
const keyOf = (i) => `agent:main:telegram:direct:${i}`;

async function fill(from, to) {
  let next = from;
  const worker = async () => {
    while (next < to) {
      const i = next++;
      const written = await storage.putSession({
        key: keyOf(i),
        agentId: "main",
        entry: entryOf(i, 1_700_000_000_000 + i),
        expectedVersion: 0,
      });
      versions.set(i, written.version);
      if (i % 100 === 0) {
        await storage.appendTranscript(`sess-${i}`, [
          { role: "user", text: `hello ${i}`, ts: Date.now() },
          { role: "assistant", text: `hi ${i}`, ts: Date.now() },
        ]);
      }
    }
  };
  await Promise.all(Array.from({ length: fillConcurrency }, worker));
}

async function time(n, run) {
  const ms = [];
  for (let i = 0; i < n; i++) {
    const start = process.hrtime.bigint();
    await run(i);
    ms.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  ms.sort((a, b) => a - b);
  const at = (p) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))].toFixed(2);
  return `p50 ${at(0.5)} ms, p99 ${at(0.99)} ms`;
}

let filled = 0;
let clock = 1_800_000_000_000;
for (const size of sizes) {
  const fillStart = Date.now();
  await fill(filled, size);
  filled = size;
  const fillSeconds = ((Date.now() - fillStart) / 1000).toFixed(1);
  const listTime = await time(samples, () => storage.listSessions(list));
  const searchTime = await time(Math.min(samples, 50), () =>
    storage.listSessions({ ...list, search: "customer 4242" }),
  );
  const putTime = await time(samples, async (n) => {
    const i = (n * 7919) % size;
    const written = await storage.putSession({
      key: keyOf(i),
      agentId: "main",
      entry: entryOf(i, clock++),
      expectedVersion: versions.get(i),
    });
    versions.set(i, written.version);
  });
  const appendTime = await time(samples, (n) =>
    storage.appendTranscript(`sess-${(n * 104729) % size}`, [
      { role: "user", text: `line ${n}`, ts: Date.now() },
    ]),
  );
  const appendWithRowTime = await time(samples, async (n) => {
    const i = (n * 15485863) % size;
    const written = await storage.appendTranscript(
      `sess-${i}`,
      [{ role: "assistant", text: `reply ${n}`, ts: Date.now() }],
      { key: keyOf(i), agentId: "main", entry: entryOf(i, clock++), expectedVersion: versions.get(i) },
    );
    versions.set(i, written.version);
  });
  const shapes = [];
  for (const [name, q] of [
    ["archived", { ...list, archived: true }],
    ["all", { ...list, archived: "all" }],
    ["agent", { ...list, agentId: "main" }],
    ["label", { ...list, label: "Customer 40" }],
    ["active 10 min", { ...list, updatedSince: clock - 600_000 }],
  ]) {
    shapes.push(
      `${name} ${(await time(Math.min(samples, 100), () => storage.listSessions(q))).split(",")[0]}`,
    );
  }
  const lastTime = await time(samples, (n) =>
    storage.readTranscript(`sess-${(n % Math.ceil(size / 100)) * 100}`, { limit: 20 }),
  );
  console.log(
    `N=${size} (filled in ${fillSeconds} s): listSessions(limit 50) ${listTime}; list with search ${searchTime}; ` +
      `putSession ${putTime}; appendTranscript ${appendTime}; append + row ${appendWithRowTime}; read last 20 ${lastTime}; ` +
      `other list shapes: ${shapes.join(", ")}`,
  );
}

const client = new pg.Client({ connectionString: url });
await client.connect();
const plan = await client.query(
  `EXPLAIN (ANALYZE, COSTS OFF) SELECT key, entry FROM "${schema}".sessions
   WHERE archived = false AND hidden_kind <> ALL('{global,unknown}') ORDER BY pin_rank DESC, updated_at DESC, key LIMIT 50`,
);
console.log(plan.rows.map((r) => r["QUERY PLAN"]).join("\n"));
await storage.close();
await client.query(`DROP SCHEMA "${schema}" CASCADE`);
await client.end();
