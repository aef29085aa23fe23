// The SQLite storage at scale, straight through the port (no gateway, no socket): fills N sessions, then prints
// p50/p99 of patch, append, list and search, the event-loop delay while 8 writers run, reopen time and RSS.
// Run: pnpm --filter @openclaw/store-sqlite build && node packages/store-sqlite/bench/sqlite-scale.mjs [N]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { createSqliteStorage } from "../dist/index.js";

const N = Number(process.argv[2] ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), "openclaw-sqlite-scale-"));
const path = join(dir, "gateway.sqlite");
const agents = ["main", "work", "ops", "home"];

const keyOf = (n) => `agent:${agents[n % agents.length]}:telegram:direct:user-${n}`;
const entryOf = (n, updatedAt) => ({
  sessionId: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
  updatedAt,
  createdAt: updatedAt,
  label: n % 50 === 0 ? `label ${n}` : undefined,
  displayName: `User ${n}`,
  channel: "telegram",
  chatType: "direct",
  messageCount: 4,
  lastMessagePreview: "a short preview of the last message in this session",
  ...(n % 1000 === 0 ? { pinnedAt: n } : {}),
  ...(n % 7 === 0 ? { archivedAt: n } : {}),
});

function percentiles(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
  return `p50 ${at(0.5).toFixed(3)} ms  p99 ${at(0.99).toFixed(3)} ms`;
}

// Wall time per call, plus this process's CPU time per call: on a busy machine the wall p99 mostly shows waiting
// for a core, the CPU time what the call itself costs.
async function timeEach(count, run) {
  const samples = [];
  const cpu = process.cpuUsage();
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await run(i);
    samples.push(performance.now() - start);
  }
  const used = process.cpuUsage(cpu);
  return `${percentiles(samples)}  cpu ${((used.user + used.system) / 1000 / count).toFixed(3)} ms/call`;
}

async function fill() {
  const storage = await createSqliteStorage({ path, synchronous: "normal" });
  const start = performance.now();
  for (let from = 0; from < N; from += 1000) {
    const writes = [];
    for (let n = from; n < Math.min(N, from + 1000); n++) {
      writes.push(
        storage.putSession({
          key: keyOf(n),
          agentId: agents[n % agents.length],
          entry: entryOf(n, 1_700_000_000_000 + n),
          expectedVersion: 0,
        }),
      );
    }
    await Promise.all(writes);
  }
  console.log(`filled ${N} sessions in ${((performance.now() - start) / 1000).toFixed(1)} s`);
  await storage.close();
}

async function measure(synchronous) {
  const openStart = performance.now();
  const storage = await createSqliteStorage({ path, synchronous });
  const openMs = performance.now() - openStart;
  const firstList = performance.now();
  await storage.listSessions({ archived: false, excludeKinds: ["global", "unknown"], offset: 0, limit: 50 });
  console.log(
    `\nsynchronous=${synchronous}: open ${openMs.toFixed(1)} ms, first list ${(performance.now() - firstList).toFixed(1)} ms, rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`,
  );
  let clock = 1_800_000_000_000;
  const versions = new Map();
  const patch = async (n) => {
    const key = keyOf(n);
    const current = versions.get(key) ?? (await storage.getSession(key)).version;
    const written = await storage.putSession({
      key,
      agentId: agents[n % agents.length],
      entry: entryOf(n, clock++),
      expectedVersion: current,
    });
    versions.set(key, written.version);
  };
  console.log(`  patch (get + put)      ${await timeEach(500, (i) => patch((i * 7919) % N))}`);
  console.log(
    `  append (1 entry)       ${await timeEach(500, (i) => storage.appendTranscript("bench-chat", [{ role: "user", text: `message ${i}`, ts: i }]))}`,
  );
  const list = { archived: false, excludeKinds: ["global", "unknown"], offset: 0, limit: 50 };
  console.log(`  list limit 50          ${await timeEach(300, () => storage.listSessions(list))}`);
  console.log(
    `  list agent, page 20    ${await timeEach(300, () => storage.listSessions({ ...list, agentId: "work", offset: 1000 }))}`,
  );
  console.log(
    `  list active 60 min     ${await timeEach(100, () => storage.listSessions({ ...list, updatedSince: clock - 3_600_000 }))}`,
  );
  console.log(
    `  list search "user 4242" ${await timeEach(30, () => storage.listSessions({ ...list, search: "user 4242" }))}`,
  );
  console.log(
    `  list search "telegram" ${await timeEach(10, () => storage.listSessions({ ...list, search: "telegram" }))}`,
  );
  console.log(
    `  read last 50 entries   ${await timeEach(300, () => storage.readTranscript("bench-chat", { limit: 50 }))}`,
  );

  const searchDelay = monitorEventLoopDelay({ resolution: 1 });
  searchDelay.enable();
  await storage.listSessions({ ...list, search: "user 4242" });
  searchDelay.disable();
  console.log(`  loop delay during one search: max ${(searchDelay.max / 1e6).toFixed(2)} ms`);

  // 8 writers (4 patching, 4 appending) as fast as they are acknowledged; meanwhile the loop's delay is what a
  // `health` request would wait, and each writer's latency is a durable write under contention.
  const delay = monitorEventLoopDelay({ resolution: 1 });
  const writeSamples = [];
  let stop = false;
  const writer = async (w) => {
    for (let i = 0; !stop; i++) {
      const start = performance.now();
      if (w % 2) await patch((w * 10_007 + i * 13) % N);
      else
        await storage.appendTranscript(`bench-writer-${w}`, [
          { role: "assistant", text: `reply ${i}`, ts: i },
        ]);
      writeSamples.push(performance.now() - start);
    }
  };
  delay.enable();
  const writers = Array.from({ length: 8 }, (_, w) => writer(w));
  const healthSamples = [];
  const until = performance.now() + 3000;
  while (performance.now() < until) {
    const start = performance.now();
    await new Promise((resolve) => setImmediate(resolve));
    await storage.countSessions();
    healthSamples.push(performance.now() - start);
  }
  stop = true;
  await Promise.all(writers);
  delay.disable();
  console.log(`  8 writers: ${writeSamples.length} writes in 3 s, write ${percentiles(writeSamples)}`);
  console.log(
    `  8 writers: timer+count ("health") ${percentiles(healthSamples)}, loop delay p99 ${(delay.percentile(99) / 1e6).toFixed(2)} ms`,
  );
  await storage.close();
}

try {
  await fill();
  await measure("full");
  await measure("normal");
} finally {
  rmSync(dir, { recursive: true, force: true });
}
