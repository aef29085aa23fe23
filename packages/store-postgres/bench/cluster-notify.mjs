// Measures cluster events over LISTEN/NOTIFY (the issue asks for the numbers behind choosing it over Redis/NATS).
// Run after a build: `node packages/store-postgres/bench/cluster-notify.mjs [url]` (default: the test database).
// Two instances, each with its own storage, in this one process (one clock, so latency needs no skew correction).
// Creates a throw-away schema and drops it at the end. Prints:
// - burst: one publisher publishes N events as fast as it can; events/s until the last one arrived at the other
//   instance (publishes queue up and go out in batches of up to 200 NOTIFYs per statement);
// - one-by-one: the same, but each publish awaits flush() (one round trip per event: the unbatched ceiling);
// - latency: events paced at a steady rate; publish-to-listener delay p50 / p90 / p99.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { createPostgresStorage } from "../dist/index.js";

const url =
  process.argv[2] ?? process.env.OPENCLAW_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const burst = Number(process.env.BENCH_BURST ?? 20_000);
const oneByOne = Number(process.env.BENCH_ONE_BY_ONE ?? 3_000);
const paced = Number(process.env.BENCH_PACED ?? 2_000);
const ratePerSecond = Number(process.env.BENCH_RATE ?? 500);
const payloadBytes = Number(process.env.BENCH_PAYLOAD_BYTES ?? 200);
const schema = `oc_bench_${randomBytes(4).toString("hex")}`;

const storages = [await createPostgresStorage({ url, schema }), await createPostgresStorage({ url, schema })];
const [a, b] = await Promise.all(
  storages.map((storage, i) =>
    storage.openCluster({ instanceId: `bench-${i}-${randomBytes(3).toString("hex")}` }),
  ),
);
const filler = "x".repeat(Math.max(0, payloadBytes - 60));

function waitForCount(counter, count) {
  return new Promise((resolve) => {
    const check = () => (counter.n >= count ? resolve() : setTimeout(check, 1));
    check();
  });
}

async function measureBurst(topic, n, awaitEach) {
  const counter = { n: 0 };
  let outOfOrder = 0;
  const stop = b.subscribe(topic, (payload) => {
    if (payload.i !== counter.n) outOfOrder += 1;
    counter.n += 1;
  });
  const started = performance.now();
  for (let i = 0; i < n; i += 1) {
    a.publish(topic, { i, sentAt: Date.now(), filler });
    if (awaitEach) await a.flush();
  }
  await waitForCount(counter, n);
  const seconds = (performance.now() - started) / 1000;
  stop();
  return { events: n, seconds: seconds.toFixed(2), perSecond: Math.round(n / seconds), outOfOrder };
}

async function measureLatency(topic, n, rate) {
  const delays = [];
  const stop = b.subscribe(topic, (payload) => delays.push(performance.now() - payload.sentAt));
  const interval = 1000 / rate;
  const started = performance.now();
  for (let i = 0; i < n; i += 1) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    a.publish(topic, { i, sentAt: performance.now(), filler });
  }
  await waitForCount(
    {
      get n() {
        return delays.length;
      },
    },
    n,
  );
  stop();
  delays.sort((x, y) => x - y);
  const at = (q) => delays[Math.min(delays.length - 1, Math.floor(q * delays.length))].toFixed(2);
  return { events: n, ratePerSecond: rate, p50Ms: at(0.5), p90Ms: at(0.9), p99Ms: at(0.99), maxMs: at(1) };
}

try {
  await measureBurst("warmup", 500, false);
  console.log("burst     ", JSON.stringify(await measureBurst("burst", burst, false)));
  console.log("one-by-one", JSON.stringify(await measureBurst("single", oneByOne, true)));
  console.log("latency   ", JSON.stringify(await measureLatency("latency", paced, ratePerSecond)));
  console.log(
    `payload ~${payloadBytes} bytes of JSON; node ${process.version}; ${url.replace(/:[^:@/]*@/, "@")}`,
  );
} finally {
  await Promise.all([a.close(), b.close()]);
  await Promise.all(storages.map((storage) => storage.close()));
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
}
