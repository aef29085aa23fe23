#!/usr/bin/env node
// Several gateways on one PostgreSQL (issue 19), on this machine, through the real CLI:
// 1. chat turns per second with an instant fake model through 1 and through 2 instances (goal: 2 >= 1.6 x 1; a
//    gateway alone on SQLite for reference), with the CPU each process used per turn; the
//    same load (lanes of back-to-back chat.send, a final `chat` event ends a turn) split evenly over the instances;
// 2. the latency a turn gains in a cluster: sequential turns on a gateway alone on the default SQLite store, alone
//    on PostgreSQL, and on instance A of a two-instance cluster, taking turns round by round (goal: cluster minus
//    SQLite <= 3 ms p50);
// 3. failover: one Telegram bot account on three instances, kill -9 of its owner, time until a survivor owns it
//    (channels.status) and until a message sent right after the kill is answered; the killed instance is restarted
//    and this repeats (goal: <= 10 s, printed as a distribution).
// `node bench/cluster.mjs [--via=cli|app] [--seconds=10] [--lanes=16] [--latency-turns=200] [--kills=10] [--phases=throughput,latency,failover]`
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { cli, parseArgs, percentile, progress, root, testingEntry } from "./bench-support.mjs";
import { measureFailover } from "./cluster-failover.mjs";
import { dropSchema, gatewayConfig, newSchema, startInstances } from "./cluster-gateways.mjs";
import { cpuSnapshot, cpuSpent, roundTripsPerTurn, startRoundTripCounter } from "./cluster-measures.mjs";
import { POSTGRES_URL } from "./storage-config.mjs";

const args = parseArgs();
const config = {
  seconds: Number(args.get("seconds") ?? 10),
  warmupSeconds: Number(args.get("warmup-seconds") ?? 2),
  lanes: Number(args.get("lanes") ?? 16),
  latencyTurns: Number(args.get("latency-turns") ?? 200),
  kills: Number(args.get("kills") ?? 10),
  phases: (args.get("phases") ?? "throughput,latency,failover").split(","),
  // "cli" (the openclaw bundle, as users run it) or "app" (bench/gateway-app.mjs, the unbundled @openclaw/gateway).
  via: args.get("via") ?? "cli",
};
const GOALS = { scaleUp: 1.6, addedP50Ms: 3, failoverMs: 10_000 };
const TURN_TIMEOUT_MS = 30_000;

for (const [file, what] of [
  config.via === "app" ? [join(root, "apps/gateway/dist/index.js"), "@openclaw/gateway"] : [cli, "the CLI"],
  [testingEntry, "@openclaw/testing"],
]) {
  if (!existsSync(file))
    throw new Error(`${what} is not built (${file}): run \`npx -y pnpm@10 bench:cluster\` in ${root}`);
}
const { lastUserText, startFakeModelServer, startFakeTelegramServer } = await import(
  pathToFileURL(testingEntry).href
);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const token = randomBytes(32).toString("hex");

/** Final `chat` events by run id; a run's final may beat its chat.send reply. */
function finalWaiters() {
  const runs = new Map();
  const entry = (runId) => {
    let run = runs.get(runId);
    if (!run) {
      let settle;
      const done = new Promise((resolve) => {
        settle = resolve;
      });
      run = { done, settle };
      runs.set(runId, run);
    }
    return run;
  };
  return {
    onEvent(frame) {
      if (frame.event !== "chat") return;
      const { runId, state } = frame.payload;
      if (state === "final" || state === "error" || state === "aborted") entry(runId).settle(frame.payload);
    },
    async waitFinal(runId) {
      let timer;
      const payload = await Promise.race([
        entry(runId).done,
        new Promise((_, fail) => {
          timer = setTimeout(
            () => fail(new Error(`run ${runId}: no final within ${TURN_TIMEOUT_MS} ms`)),
            TURN_TIMEOUT_MS,
          );
        }),
      ]).finally(() => clearTimeout(timer));
      runs.delete(runId);
      if (payload.state !== "final")
        throw new Error(`run ${runId} ended ${payload.state}: ${payload.errorMessage ?? ""}`);
    },
  };
}

async function chatTurn(client, waiters, sessionKey) {
  const reply = await client.request("chat.send", {
    sessionKey,
    message: "bench turn",
    idempotencyKey: randomUUID(),
  });
  await waiters.waitFinal(reply.runId);
}

/** Lanes of back-to-back turns, split evenly over the instances, for warm-up + `seconds`; turns/s per instance. */
async function throughput(model, size, { sqlite = false } = {}) {
  const schema = sqlite ? undefined : newSchema();
  const waiters = finalWaiters();
  const instances = await startInstances({
    via: config.via,
    size,
    token,
    config: gatewayConfig({ model, schema }),
    onEvent: waiters.onEvent,
  });
  try {
    const counts = instances.map(() => 0);
    let measuring = false;
    let stop = false;
    const lane = async (instance, index, laneId) => {
      for (let turn = 0; !stop; turn += 1) {
        // A new session every 20 turns keeps transcripts (and so each model request) small.
        await chatTurn(instance.client, waiters, `agent:main:tp-${size}-${laneId}-${Math.floor(turn / 20)}`);
        if (measuring && !stop) counts[index] += 1;
      }
    };
    const lanes = Array.from({ length: config.lanes }, (_, laneId) => {
      const index = laneId % instances.length;
      return lane(instances[index], index, laneId);
    });
    await sleep(config.warmupSeconds * 1000);
    measuring = true;
    const started = performance.now();
    const cpuBefore = cpuSnapshot(instances);
    await sleep(config.seconds * 1000);
    measuring = false;
    const cpu = cpuSpent(cpuBefore, cpuSnapshot(instances));
    const elapsed = (performance.now() - started) / 1000;
    stop = true;
    await Promise.all(lanes);
    model.reset();
    model.setDefaultReply({ chunks: ["ok"] });
    const perInstance = counts.map((count) => count / elapsed);
    const turns = counts.reduce((sum, value) => sum + value, 0);
    // CPU ms per turn and cores busy, per consumer: where a turn's cost goes, and what saturates first.
    const share = (ms) => ({ msPerTurn: ms / Math.max(1, turns), cores: ms / 1000 / elapsed });
    return {
      turnsPerSecond: turns / elapsed,
      perInstance,
      cpu: {
        gateways: cpu.gateways.map(share),
        postgres: share(cpu.postgres),
        bench: share(cpu.bench),
        machine: share(cpu.machine),
      },
    };
  } finally {
    await Promise.all(instances.map((instance) => instance.remove()));
    if (schema) dropSchema(schema);
  }
}

/** Sequential turns on three gateways, one turn each per round: SQLite alone, PostgreSQL alone, cluster instance A. */
async function latency(model) {
  const waiters = finalWaiters();
  const clusterSchema = newSchema();
  const aloneSchema = newSchema();
  const started = [];
  try {
    const sqlite = (
      await startInstances({
        via: config.via,
        size: 1,
        token,
        config: gatewayConfig({ model }),
        onEvent: waiters.onEvent,
        names: "S",
      })
    )[0];
    started.push(sqlite);
    const postgres = (
      await startInstances({
        via: config.via,
        size: 1,
        token,
        config: gatewayConfig({ model, schema: aloneSchema }),
        onEvent: waiters.onEvent,
        names: "P",
      })
    )[0];
    started.push(postgres);
    const pair = await startInstances({
      via: config.via,
      size: 2,
      token,
      config: gatewayConfig({ model, schema: clusterSchema }),
      onEvent: waiters.onEvent,
    });
    started.push(...pair);
    const targets = [
      ["sqlite", sqlite],
      ["postgres", postgres],
      ["cluster", pair[0]],
    ];
    const samples = Object.fromEntries(targets.map(([key]) => [key, []]));
    const warmup = 20;
    for (let round = 0; round < warmup + config.latencyTurns; round += 1) {
      for (const [key, instance] of targets) {
        const t0 = performance.now();
        await chatTurn(instance.client, waiters, `agent:main:lat-${key}-${Math.floor(round / 50)}`);
        if (round >= warmup) samples[key].push(performance.now() - t0);
      }
      if (round % 50 === 49) {
        model.reset();
        model.setDefaultReply({ chunks: ["ok"] });
      }
    }
    const figures = Object.fromEntries(
      Object.entries(samples).map(([key, values]) => {
        const sorted = Float64Array.from(values).sort();
        return [key, { p50: percentile(sorted, 50), p99: percentile(sorted, 99) }];
      }),
    );
    return figures;
  } finally {
    await Promise.all(started.map((instance) => instance.remove()));
    dropSchema(clusterSchema);
    dropSchema(aloneSchema);
  }
}

/**
 * Round trips to PostgreSQL per sequential turn, alone and in a cluster of two, through a counting proxy (its own
 * gateways, so the proxy's hop does not touch the latency figures).
 */
async function roundTrips(model) {
  const waiters = finalWaiters();
  const counter = await startRoundTripCounter(POSTGRES_URL);
  const figures = {};
  try {
    for (const [key, size] of [
      ["postgres", 1],
      ["cluster", 2],
    ]) {
      const schema = newSchema();
      const instances = await startInstances({
        via: config.via,
        size,
        token,
        config: gatewayConfig({ model, schema, url: counter.url }),
        onEvent: waiters.onEvent,
      });
      try {
        figures[key] = await roundTripsPerTurn(counter, () =>
          chatTurn(instances[0].client, waiters, `agent:main:rt-${randomUUID()}`),
        );
      } finally {
        await Promise.all(instances.map((instance) => instance.remove()));
        dropSchema(schema);
      }
    }
    return figures;
  } finally {
    await counter.close();
  }
}

const model = await startFakeModelServer();
model.setDefaultReply({ chunks: ["ok"] });
const result = {};
try {
  if (config.phases.includes("throughput")) {
    progress(
      `throughput: ${config.lanes} lanes, ${config.warmupSeconds} s warm-up + ${config.seconds} s, 1 instance on SQLite`,
    );
    result.sqlite = await throughput(model, 1, { sqlite: true });
    progress("throughput: 1 instance on PostgreSQL");
    result.one = await throughput(model, 1);
    progress("throughput: 2 instances");
    result.two = await throughput(model, 2);
  }
  if (config.phases.includes("latency")) {
    progress(
      `latency: ${config.latencyTurns} rounds of sequential turns (SQLite alone, PostgreSQL alone, cluster of 2)`,
    );
    result.latency = await latency(model);
    result.roundTripsPerTurn = await roundTrips(model);
  }
  if (config.phases.includes("failover")) {
    progress(`failover: ${config.kills} kills of the Telegram account owner among 3 instances`);
    result.failover = await measureFailover({
      model,
      telegram: await startFakeTelegramServer(),
      lastUserText,
      via: config.via,
      kills: config.kills,
      token,
    });
  }
} finally {
  await model.close();
}

const f1 = (value) => value.toFixed(1);
const f2 = (value) => value.toFixed(2);
const lines = [];
if (result.one && result.two) {
  const ratio = result.two.turnsPerSecond / result.one.turnsPerSecond;
  lines.push(`chat turns/s, 1 instance on SQLite       ${f1(result.sqlite.turnsPerSecond)}`);
  lines.push(`chat turns/s, 1 instance                 ${f1(result.one.turnsPerSecond)}`);
  lines.push(
    `chat turns/s, 2 instances                ${f1(result.two.turnsPerSecond)} (A ${f1(result.two.perInstance[0])}, B ${f1(result.two.perInstance[1])})`,
  );
  lines.push(
    `scale-up 2 vs 1                          ${f2(ratio)}x (goal >= ${GOALS.scaleUp}x: ${ratio >= GOALS.scaleUp ? "yes" : "NO"})`,
  );
  result.scaleUp = ratio;
  for (const [label, run] of [
    ["SQLite     ", result.sqlite],
    ["1 instance ", result.one],
    ["2 instances", result.two],
  ]) {
    const { gateways, postgres, bench, machine } = run.cpu;
    const total = gateways.reduce((sum, g) => sum + g.cores, 0) + postgres.cores + bench.cores;
    const gw = gateways.map((g) => `${f2(g.cores)} (${f2(g.msPerTurn)} ms/turn)`).join(" + ");
    lines.push(
      `  CPU cores busy, ${label}            gateways ${gw}, PostgreSQL ${f2(postgres.cores)} (${f2(postgres.msPerTurn)} ms/turn), load+fakes ${f2(bench.cores)}; these ${f2(total)}, whole machine ${f2(machine.cores)} of ${availableParallelism()}`,
    );
  }
}
if (result.latency) {
  const { sqlite, postgres, cluster } = result.latency;
  const added = cluster.p50 - sqlite.p50;
  lines.push(`turn latency p50/p99, SQLite alone       ${f2(sqlite.p50)} / ${f2(sqlite.p99)} ms`);
  lines.push(
    `turn latency p50/p99, PostgreSQL alone   ${f2(postgres.p50)} / ${f2(postgres.p99)} ms (${f1(result.roundTripsPerTurn.postgres)} round trips to PostgreSQL/turn)`,
  );
  lines.push(
    `turn latency p50/p99, cluster of 2 (A)   ${f2(cluster.p50)} / ${f2(cluster.p99)} ms (${f1(result.roundTripsPerTurn.cluster)} round trips to PostgreSQL/turn)`,
  );
  lines.push(
    `added p50, cluster vs SQLite             ${f2(added)} ms (goal <= ${GOALS.addedP50Ms} ms: ${added <= GOALS.addedP50Ms ? "yes" : "NO"})`,
  );
  result.addedP50Ms = added;
}
if (result.failover) {
  const dist = (values) => {
    const sorted = Float64Array.from(values).sort();
    return `min ${Math.round(sorted[0])}  p50 ${Math.round(percentile(sorted, 50))}  p90 ${Math.round(percentile(sorted, 90))}  max ${Math.round(sorted.at(-1))} ms`;
  };
  const worst = Math.max(...result.failover.answered, ...result.failover.owned);
  lines.push(`failover, kill -9 -> survivor owns       ${dist(result.failover.owned)}`);
  lines.push(`failover, kill -9 -> message answered    ${dist(result.failover.answered)}`);
  lines.push(
    `failover within ${GOALS.failoverMs / 1000} s, all ${result.failover.owned.length} kills  ${worst <= GOALS.failoverMs ? "yes" : "NO"}`,
  );
}
console.log(lines.join("\n"));
console.log(JSON.stringify({ config, goals: GOALS, ...result }));
