#!/usr/bin/env node
// One command, numbers out: cold start, idle RSS, RSS with N idle connections, health latency and throughput.
// The gateway runs as a child process (the real CLI); this process is only the load generator. With
// --baseline=<openclaw bin> the same measurements also run against the real OpenClaw gateway, one after the other
// on the same machine, so the two columns and their ratio come from one run.
import { cli, parseArgs, percentile, progress } from "./bench-support.mjs";
import { connect } from "./gateway-client.mjs";
import { startGateway, stopGateway } from "./gateway-lifecycle.mjs";
import { baselineGateway, ourGateway } from "./gateway-targets.mjs";
import { rssMb } from "./process-tree.mjs";
import { measurePrometheusOverhead, PROMETHEUS_ON_CONFIG } from "./prometheus-overhead.mjs";

const args = parseArgs();
const config = {
  coldStartRuns: Number(args.get("cold-runs") ?? 5),
  idleConnections: Number(args.get("connections") ?? 1000),
  latencyRequests: Number(args.get("latency-requests") ?? 5000),
  throughputClients: Number(args.get("clients") ?? 20),
  inFlight: Number(args.get("in-flight") ?? 8),
  throughputSeconds: Number(args.get("seconds") ?? 5),
  // Upper bound for any one phase (latency, throughput, idle connections) so a stuck gateway cannot hang the run.
  phaseTimeoutSeconds: Number(args.get("phase-timeout") ?? 120),
  baseline: args.get("baseline"),
  // Rounds of the Prometheus route on/off throughput comparison; 0 skips it.
  prometheusRounds: Number(args.get("prometheus-rounds") ?? 3),
};
const budgets = { coldStartMs: 300, idleRssMb: 80, healthP50Ms: 0.3, throughputRps: 20_000 };

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const targets = [
  ourGateway({ cli, coldStartRuns: config.coldStartRuns, idleConnections: config.idleConnections }),
];
if (config.baseline) {
  targets.push(
    baselineGateway({
      bin: config.baseline,
      coldStartRuns: Number(args.get("baseline-cold-runs") ?? 3),
      idleConnections: Number(args.get("baseline-connections") ?? config.idleConnections),
      startTimeoutSeconds: Number(args.get("baseline-start-timeout") ?? 90),
    }),
  );
}

/**
 * Runs one phase; past the phase timeout (plus the time the phase is meant to run) its sockets are terminated,
 * which fails every pending request, and `expired()` turns true for loops that open connections.
 */
async function withinPhaseTimeout(label, sockets, run, plannedSeconds = 0) {
  const limitSeconds = config.phaseTimeoutSeconds + plannedSeconds;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    for (const client of sockets()) client.ws.terminate();
  }, limitSeconds * 1000);
  try {
    return await run(() => timedOut);
  } catch (error) {
    throw timedOut ? new Error(`${label} did not finish within ${limitSeconds} s`) : error;
  } finally {
    clearTimeout(timer);
  }
}

async function measureColdStart(target) {
  const samples = [];
  for (let run = 0; run < target.coldStartRuns; run += 1) {
    const gateway = await startGateway(target);
    samples.push(gateway.coldStartMs);
    await stopGateway(gateway);
  }
  samples.sort((a, b) => a - b);
  return {
    median: percentile(samples, 50),
    min: samples[0],
    max: samples[samples.length - 1],
    runs: samples.length,
  };
}

async function measureLatency(client) {
  return withinPhaseTimeout(
    "health latency",
    () => [client],
    async () => {
      for (let i = 0; i < 500; i += 1) await client.request("health"); // warm-up
      const samples = new Float64Array(config.latencyRequests);
      for (let i = 0; i < config.latencyRequests; i += 1) {
        const t0 = performance.now();
        await client.request("health");
        samples[i] = performance.now() - t0;
      }
      samples.sort();
      return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
    },
  );
}

async function measureThroughput(url, token) {
  const clients = [];
  try {
    return await withinPhaseTimeout(
      "health throughput",
      () => clients,
      async () => {
        clients.push(
          ...(await Promise.all(Array.from({ length: config.throughputClients }, () => connect(url, token)))),
        );
        let completed = 0;
        let running = true;
        let failure;
        const loop = async (client) => {
          try {
            while (running) {
              await client.request("health");
              completed += 1;
            }
          } catch (error) {
            failure ??= error;
            running = false;
          }
        };
        const started = performance.now();
        const loops = clients.flatMap((client) =>
          Array.from({ length: config.inFlight }, () => loop(client)),
        );
        const stopAfter = setTimeout(() => {
          running = false;
        }, config.throughputSeconds * 1000);
        await Promise.all(loops);
        clearTimeout(stopAfter);
        if (failure)
          throw new Error(`a health request failed after ${completed} completed: ${failure.message}`);
        return completed / ((performance.now() - started) / 1000);
      },
      config.throughputSeconds,
    );
  } finally {
    for (const client of clients) client.close();
  }
}

async function measureIdleConnections(gateway) {
  const count = gateway.target.idleConnections;
  const clients = [];
  try {
    return await withinPhaseTimeout(
      `${count} idle connections`,
      () => clients,
      async (expired) => {
        const size = gateway.target.connectBatch;
        for (let i = 0; i < count; i += size) {
          if (expired()) throw new Error(`only ${clients.length} of ${count} connections opened in time`);
          const batch = await Promise.allSettled(
            Array.from({ length: Math.min(size, count - i) }, () => connect(gateway.url, gateway.token)),
          );
          for (const result of batch) if (result.status === "fulfilled") clients.push(result.value);
          const refused = batch.find((result) => result.status === "rejected");
          if (refused) {
            throw new Error(
              `only ${clients.length} of ${count} connections got hello-ok: ${refused.reason.message}`,
            );
          }
        }
        await sleep(1000);
        return rssMb(gateway.child.pid);
      },
      1,
    );
  } finally {
    for (const client of clients) client.close();
  }
}

/** A measurement that may fail on the baseline: reported as "n/a" with the reason instead of ending the run. */
async function attempt(target, label, measure) {
  try {
    return await measure();
  } catch (error) {
    if (target.strict) throw error;
    const reason = error.message.split("\n")[0];
    progress(`${target.name}: ${label} not measured: ${reason}`);
    return { notMeasured: reason };
  }
}

async function measure(target) {
  const tag = `${target.name} (${target.label})`;
  progress(`${tag}: cold start x${target.coldStartRuns} (spawn of \`openclaw gateway\` -> first hello-ok)`);
  const coldStart = await attempt(target, "cold start", () => measureColdStart(target));
  progress(`${tag}: starting the gateway for the steady-state measurements`);
  const gateway = await attempt(target, "start", () => startGateway(target));
  if (gateway.notMeasured) {
    const missing = { notMeasured: `the gateway did not start: ${gateway.notMeasured}` };
    return {
      target,
      coldStart,
      idleRss: missing,
      latency: missing,
      throughput: missing,
      connectionsRss: missing,
    };
  }
  try {
    await sleep(1000);
    const idleRss = await attempt(target, "idle RSS", async () => rssMb(gateway.child.pid));
    progress(`${tag}: health round trip x${config.latencyRequests}`);
    const latency = await attempt(target, "health latency", () => measureLatency(gateway.client));
    progress(
      `${tag}: health throughput: ${config.throughputClients} clients x ${config.inFlight} in flight for ${config.throughputSeconds}s`,
    );
    const throughput = await attempt(target, "health throughput", () =>
      measureThroughput(gateway.url, gateway.token),
    );
    progress(`${tag}: ${target.idleConnections} idle authenticated connections`);
    const connectionsRss = await attempt(target, "idle connections", () => measureIdleConnections(gateway));
    return { target, coldStart, idleRss, latency, throughput, connectionsRss };
  } finally {
    await stopGateway(gateway);
  }
}

const results = [];
for (const target of targets) results.push(await measure(target));
const [ours, baseline] = results;
const prometheus =
  config.prometheusRounds > 0
    ? await measurePrometheusOverhead({
        off: targets[0],
        on: ourGateway({
          cli,
          coldStartRuns: config.coldStartRuns,
          idleConnections: 0,
          config: PROMETHEUS_ON_CONFIG,
          name: "ours+prometheus",
          label: "Prometheus route on",
        }),
        rounds: config.prometheusRounds,
        run: {
          startGateway,
          stopGateway,
          measureThroughput,
          measureColdStart,
          idleRss: (gateway) => rssMb(gateway.child.pid),
          sleep,
        },
      })
    : undefined;

const rows = [
  [
    "cold start (median)",
    `${ours.coldStart.median.toFixed(0)} ms`,
    `< ${budgets.coldStartMs} ms`,
    ours.coldStart.median < budgets.coldStartMs,
  ],
  [
    "idle RSS",
    `${ours.idleRss.tree.toFixed(1)} MB`,
    `< ${budgets.idleRssMb} MB`,
    ours.idleRss.tree < budgets.idleRssMb,
  ],
  [
    `RSS with ${config.idleConnections} idle connections`,
    `${ours.connectionsRss.tree.toFixed(1)} MB`,
    "-",
    true,
  ],
  [
    "health p50",
    `${ours.latency.p50.toFixed(3)} ms`,
    `< ${budgets.healthP50Ms} ms`,
    ours.latency.p50 < budgets.healthP50Ms,
  ],
  ["health p99", `${ours.latency.p99.toFixed(3)} ms`, "-", true],
  [
    `health throughput (${config.throughputClients}x${config.inFlight})`,
    `${Math.round(ours.throughput)} req/s`,
    `> ${budgets.throughputRps} req/s`,
    ours.throughput > budgets.throughputRps,
  ],
];
const width = Math.max(...rows.map((row) => row[0].length));
console.log(`${"metric".padEnd(width)}  ${"measured".padStart(14)}  ${"budget".padStart(16)}  ok`);
for (const [name, value, budget, ok] of rows) {
  console.log(`${name.padEnd(width)}  ${value.padStart(14)}  ${budget.padStart(16)}  ${ok ? "yes" : "NO"}`);
}

/** The comparable numbers of one result; `null` where the value was not measured. */
function metrics(result) {
  const value = (part, pick) => (part?.notMeasured === undefined ? pick(part) : null);
  return {
    coldStartMs: value(result.coldStart, (cold) => cold.median),
    idleRssMb: value(result.idleRss, (rss) => rss.tree),
    connectionsRssMb: value(result.connectionsRss, (rss) => rss.tree),
    healthP50Ms: value(result.latency, (latency) => latency.p50),
    healthP99Ms: value(result.latency, (latency) => latency.p99),
    healthThroughputRps: value(result.throughput, (rps) => rps),
  };
}

function notMeasuredReasons(result) {
  const reasons = {};
  for (const key of ["coldStart", "idleRss", "latency", "throughput", "connectionsRss"]) {
    if (result[key]?.notMeasured !== undefined) reasons[key] = result[key].notMeasured;
  }
  return reasons;
}

const round = (value, digits) => (value === null ? null : Number(value.toFixed(digits)));
const comparisonKeys = [
  // key, label, unit, digits, lower is better
  ["coldStartMs", "cold start (median)", "ms", 0, true],
  ["idleRssMb", "idle RSS (process tree)", "MB", 1, true],
  ["connectionsRssMb", "RSS with idle connections", "MB", 1, true],
  ["healthP50Ms", "health p50", "ms", 3, true],
  ["healthP99Ms", "health p99", "ms", 3, true],
  [
    "healthThroughputRps",
    `health throughput (${config.throughputClients}x${config.inFlight})`,
    "req/s",
    0,
    false,
  ],
];
let comparison;
if (baseline) {
  const mine = metrics(ours);
  const theirs = metrics(baseline);
  const sameConnectionCount = ours.target.idleConnections === baseline.target.idleConnections;
  comparison = {};
  const table = [];
  for (const [key, label, unit, digits, lowerIsBetter] of comparisonKeys) {
    const comparable = key !== "connectionsRssMb" || sameConnectionCount;
    const ratio = mine[key] !== null && theirs[key] !== null && comparable ? mine[key] / theirs[key] : null;
    comparison[key] = round(ratio, 4);
    const factor = ratio === null ? null : lowerIsBetter ? 1 / ratio : ratio;
    const verdict =
      factor === null
        ? "-"
        : `${factor >= 1 ? factor.toFixed(1) : (1 / factor).toFixed(1)}x ${factor >= 1 ? "better" : "worse"}`;
    const show = (number) => (number === null ? "n/a" : `${number.toFixed(digits)} ${unit}`);
    const rowLabel =
      key === "connectionsRssMb"
        ? `RSS with ${ours.target.idleConnections}${sameConnectionCount ? "" : ` / ${baseline.target.idleConnections}`} idle connections`
        : label;
    table.push([
      rowLabel,
      show(mine[key]),
      show(theirs[key]),
      ratio === null ? "-" : ratio.toFixed(4),
      verdict,
    ]);
  }
  const header = ["metric", "ours", baseline.target.label, "ours/baseline", "ours vs baseline"];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...table.map((row) => row[column].length)),
  );
  const line = (row) =>
    row
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[0]) : cell.padStart(widths[column])))
      .join("  ");
  console.log("");
  console.log(line(header));
  for (const row of table) console.log(line(row));
  const reasons = notMeasuredReasons(baseline);
  for (const [key, reason] of Object.entries(reasons)) console.log(`n/a ${key}: ${reason}`);
  console.log(
    `baseline cold start: median of ${baseline.coldStart.runs ?? 0} runs; ours: median of ${ours.coldStart.runs} runs`,
  );
}

if (prometheus) {
  const change = (on, off) => `${on >= off ? "+" : ""}${(((on - off) / off) * 100).toFixed(1)}%`;
  const table = [
    ["metric", "route off", "route on", "change"],
    [
      "cold start (median)",
      `${ours.coldStart.median.toFixed(0)} ms`,
      `${prometheus.coldStartMs.toFixed(0)} ms`,
      change(prometheus.coldStartMs, ours.coldStart.median),
    ],
    [
      "idle RSS (process tree)",
      `${ours.idleRss.tree.toFixed(1)} MB`,
      `${prometheus.idleRssOnMb.toFixed(1)} MB`,
      change(prometheus.idleRssOnMb, ours.idleRss.tree),
    ],
    [
      `health throughput, median of ${prometheus.rounds} alternating rounds`,
      `${Math.round(prometheus.throughputOffRps)} req/s`,
      `${Math.round(prometheus.throughputOnRps)} req/s`,
      change(prometheus.throughputOnRps, prometheus.throughputOffRps),
    ],
  ];
  const widths = table[0].map((_, column) => Math.max(...table.map((row) => row[column].length)));
  console.log("");
  for (const row of table) {
    console.log(
      row
        .map((cell, column) => (column === 0 ? cell.padEnd(widths[0]) : cell.padStart(widths[column])))
        .join("  "),
    );
  }
  console.log(
    `the route-on gateway counted ${prometheus.scrapedHealthRequests} health requests (scraped at the end)`,
  );
}

const json = {
  coldStartMs: Number(ours.coldStart.median.toFixed(1)),
  coldStartMinMs: Number(ours.coldStart.min.toFixed(1)),
  idleRssMb: Number(ours.idleRss.tree.toFixed(1)),
  connectionsRssMb: Number(ours.connectionsRss.tree.toFixed(1)),
  idleConnections: config.idleConnections,
  healthP50Ms: Number(ours.latency.p50.toFixed(4)),
  healthP99Ms: Number(ours.latency.p99.toFixed(4)),
  healthThroughputRps: Math.round(ours.throughput),
  node: process.version,
};
if (baseline) {
  const theirs = metrics(baseline);
  json.baseline = {
    version: baseline.target.label,
    coldStartMs: round(theirs.coldStartMs, 1),
    coldStartMinMs: baseline.coldStart.notMeasured === undefined ? round(baseline.coldStart.min, 1) : null,
    coldStartRuns: baseline.coldStart.runs ?? 0,
    idleRssMb: round(theirs.idleRssMb, 1),
    idleRssMainProcessMb: baseline.idleRss.notMeasured === undefined ? round(baseline.idleRss.main, 1) : null,
    processes: baseline.idleRss.processes ?? null,
    connectionsRssMb: round(theirs.connectionsRssMb, 1),
    idleConnections: baseline.target.idleConnections,
    healthP50Ms: round(theirs.healthP50Ms, 4),
    healthP99Ms: round(theirs.healthP99Ms, 4),
    healthThroughputRps: theirs.healthThroughputRps === null ? null : Math.round(theirs.healthThroughputRps),
    notMeasured: notMeasuredReasons(baseline),
  };
  json.oursOverBaseline = comparison;
}
if (prometheus) {
  json.prometheus = {
    coldStartMs: round(prometheus.coldStartMs, 1),
    idleRssMb: round(prometheus.idleRssOnMb, 1),
    throughputOffRps: Math.round(prometheus.throughputOffRps),
    throughputOnRps: Math.round(prometheus.throughputOnRps),
    throughputChangePct: round(prometheus.throughputChangePct, 2),
    rounds: prometheus.rounds,
    offRoundsRps: prometheus.samples.off.map(Math.round),
    onRoundsRps: prometheus.samples.on.map(Math.round),
    scrapedHealthRequests: prometheus.scrapedHealthRequests,
  };
}
console.log(JSON.stringify(json));
