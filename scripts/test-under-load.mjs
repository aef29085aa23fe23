#!/usr/bin/env node
// Runs a test command several times while every CPU is kept busy, to prove the suite waits for events and not for
// wall-clock budgets that only hold on an idle machine. Usage:
//   node scripts/test-under-load.mjs [--runs 2] [--command "<cmd>"] [--workers <n>] [--max-minutes 90]
// Exits non-zero if any run fails; the busy workers always stop (they are threads of this process and each also
// stops by itself after --max-minutes).
import { spawn } from "node:child_process";
import { availableParallelism, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { Worker } from "node:worker_threads";

const DEFAULT_COMMAND = "npx -y pnpm@10 --filter @openclaw/gateway test";

const { values } = parseArgs({
  // `pnpm test:under-load -- --runs 1` passes the `--` on; it separates nothing here.
  args: process.argv.slice(2).filter((arg) => arg !== "--"),
  options: {
    runs: { type: "string", default: "2" },
    command: { type: "string", default: DEFAULT_COMMAND },
    workers: { type: "string", default: String(availableParallelism()) },
    "max-minutes": { type: "string", default: "90" },
    help: { type: "boolean", short: "h", default: false },
  },
});

if (values.help) {
  console.log(
    'usage: node scripts/test-under-load.mjs [--runs 2] [--command "<cmd>"] [--workers <n>] [--max-minutes 90]',
  );
  process.exit(0);
}

function positiveInteger(name, raw) {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    console.error(`--${name} must be a positive integer, got ${JSON.stringify(raw)}`);
    process.exit(2);
  }
  return value;
}

const runs = positiveInteger("runs", values.runs);
const workerCount = positiveInteger("workers", values.workers);
const maxMinutes = positiveInteger("max-minutes", values["max-minutes"]);

// Spins until `until`, checking the clock every few million iterations so it stays a pure CPU burner.
const BUSY_LOOP = `
const { workerData } = require("node:worker_threads");
let x = 0;
while (Date.now() < workerData.until) {
  for (let i = 0; i < 5e6; i++) x = (x * 31 + i) | 0;
}
`;

const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(" ");

function startLoad() {
  const until = Date.now() + maxMinutes * 60_000;
  return Array.from(
    { length: workerCount },
    () => new Worker(BUSY_LOOP, { eval: true, workerData: { until } }),
  );
}

async function stopLoad(workers) {
  await Promise.all(workers.map((worker) => worker.terminate()));
}

let child;

/** Runs the command once; resolves with its exit code and the highest 1-minute load average seen. */
function runOnce() {
  return new Promise((resolve) => {
    let peak = loadavg()[0];
    const sampler = setInterval(() => {
      peak = Math.max(peak, loadavg()[0]);
    }, 2_000);
    child = spawn(values.command, { shell: true, stdio: "inherit", detached: process.platform !== "win32" });
    child.on("exit", (code, signal) => {
      clearInterval(sampler);
      child = undefined;
      resolve({ code: code ?? (signal ? 1 : 0), signal, peak });
    });
  });
}

const workers = startLoad();
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    // The command runs in its own process group, so the whole tree stops (vitest workers, gateways, browsers).
    if (child?.pid) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        child.kill("SIGTERM");
      }
    }
    await stopLoad(workers);
    process.exit(130);
  });
}

console.log(`test-under-load: ${workerCount} busy workers, ${runs} run(s) of: ${values.command}`);
console.log(`test-under-load: load average before: ${load()}`);
const results = [];
try {
  for (let run = 1; run <= runs && !stopping; run++) {
    const started = Date.now();
    console.log(`\ntest-under-load: run ${run}/${runs} starting (load average ${load()})`);
    const { code, signal, peak } = await runOnce();
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    const verdict = code === 0 ? "PASS" : `FAIL (exit ${code}${signal ? `, ${signal}` : ""})`;
    results.push({ run, verdict, seconds, peak: peak.toFixed(2), end: load() });
    console.log(`test-under-load: run ${run}/${runs} ${verdict} in ${seconds} s; load average ${load()}`);
  }
} finally {
  await stopLoad(workers);
}

console.log("\ntest-under-load: summary");
for (const { run, verdict, seconds, peak, end } of results) {
  console.log(`  run ${run}: ${verdict}, ${seconds} s, peak 1-min load ${peak}, load at end ${end}`);
}
process.exit(results.length === runs && results.every((result) => result.verdict === "PASS") ? 0 : 1);
