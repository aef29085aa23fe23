#!/usr/bin/env node
// The robustness figures at full size, against the real `openclaw gateway` started through the CLI:
//   1. malformed-frame fuzz (10,000 frames, before and after auth): unanswered, malformed replies, largest error
//   2. pre-auth memory: 200 unauthenticated sockets each announcing a 24 MiB frame: gateway RSS before and after
//   3. the auth limiter under a parallel burst: 100 wrong tokens + the right one, over WebSocket and HTTP
//   4. kill -9 durability: 25 kills during chat.send (bench/robustness-kill.mjs)
// `npx -y pnpm@10 run build && node bench/robustness.mjs [--frames=10000] [--sockets=200] [--kills=25]
//  [--skip=fuzz,preauth,limiter,kills]`. Prints a table and one JSON line.
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import WebSocket from "ws";
import { cli, parseArgs, progress, root, testingEntry } from "./bench-support.mjs";
import { connect } from "./gateway-client.mjs";
import { startOurGateway } from "./gateway-targets.mjs";
import { rssMb } from "./process-tree.mjs";
import { runKillLoop } from "./robustness-kill.mjs";

const args = parseArgs();
const frames = Number(args.get("frames") ?? 10_000);
const socketCount = Number(args.get("sockets") ?? 200);
const kills = Number(args.get("kills") ?? 25);
const driver = args.get("driver");
const skip = new Set((args.get("skip") ?? "").split(",").filter(Boolean));
const protocolEntry = join(root, "packages/protocol/dist/index.js");
const MIB = 1024 * 1024;
const pause = (ms) => new Promise((done) => setTimeout(done, ms));

for (const file of [cli, testingEntry, protocolEntry]) {
  if (!existsSync(file))
    throw new Error(`${file} is missing: run \`npx -y pnpm@10 run build\` in ${root} first`);
}
const testing = await import(pathToFileURL(testingEntry).href);
const { methodParamFields } = await import(pathToFileURL(protocolEntry).href);

/** `openclaw gateway` on a fresh state dir with `config`; resolves once a client completed the handshake. */
async function startGateway(config = {}) {
  const stateDir = mkdtempSync(join(tmpdir(), "openclaw-bench-robust-"));
  const token = randomBytes(24).toString("hex");
  writeFileSync(join(stateDir, "openclaw.json"), JSON.stringify(config));
  const gateway = await startOurGateway(stateDir, token);
  gateway.client.close?.();
  return {
    ...gateway,
    token,
    stop() {
      gateway.child.kill("SIGKILL");
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

async function healthMs(gateway) {
  const client = await connect(gateway.url, gateway.token);
  const started = performance.now();
  await client.request("health", {});
  const elapsed = performance.now() - started;
  client.close?.();
  return elapsed;
}

async function fuzzPhase() {
  const gateway = await startGateway();
  try {
    progress(`fuzz: ${frames} frames`);
    const started = performance.now();
    const report = await testing.runFrameFuzz({
      url: gateway.url,
      token: gateway.token,
      count: frames,
      seed: 20261207,
      methods: methodParamFields(),
      connections: 4,
    });
    return {
      frames: report.sent,
      seconds: (performance.now() - started) / 1000,
      unanswered: report.unanswered,
      malformedReplies: report.malformedReplies,
      maxErrorReplyBytes: report.maxErrorReplyBytes,
      socketsClosedByGateway: report.closedSockets,
      healthAfterMs: await healthMs(gateway),
      rssAfterMb: rssMb(gateway.child.pid).main,
    };
  } finally {
    gateway.stop();
  }
}

async function preAuthPhase() {
  const gateway = await startGateway();
  try {
    await pause(500);
    const rssBeforeMb = rssMb(gateway.child.pid).main;
    progress(`pre-auth: ${socketCount} sockets announcing 24 MiB frames`);
    const upgrades = await Promise.all(
      Array.from({ length: socketCount }, () =>
        testing.openRawUpgrade({ port: gateway.port }).catch(() => undefined),
      ),
    );
    const accepted = upgrades.filter((upgrade) => upgrade?.status === 101);
    for (const upgrade of accepted) {
      upgrade.socket.on("error", () => {});
      upgrade.socket.write(testing.clientFrameHeader(24 * MIB));
      upgrade.socket.write(Buffer.alloc(MIB, 0x41));
    }
    await pause(1_500);
    const rssAfterMb = rssMb(gateway.child.pid).main;
    const stillOpen = accepted.filter(
      (upgrade) => !upgrade.socket.destroyed && !upgrade.socket.readableEnded,
    );
    for (const upgrade of upgrades) upgrade?.socket.destroy();
    return {
      sockets: socketCount,
      upgraded: accepted.length,
      refused503: upgrades.filter((upgrade) => upgrade?.status === 503).length,
      stillOpenAfter1500ms: stillOpen.length,
      rssBeforeMb,
      rssAfterMb,
      healthAfterMs: await healthMs(gateway),
    };
  } finally {
    gateway.stop();
  }
}

function wsConnect(url, token) {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.on("error", () => resolve("socket-error"));
    ws.on("message", (data) => {
      const frame = JSON.parse(data.toString());
      if (frame.type === "res") {
        resolve(frame.ok ? "ok" : (frame.error?.details?.code ?? frame.error?.code));
        ws.terminate();
      }
    });
    ws.on("open", () =>
      ws.send(
        JSON.stringify({
          type: "req",
          id: "c",
          method: "connect",
          params: {
            minProtocol: 4,
            maxProtocol: 4,
            client: { id: "test", version: "bench", platform: process.platform, mode: "test" },
            auth: { token },
          },
        }),
      ),
    );
  });
}

async function limiterPhase() {
  const maxAttempts = 10;
  const config = {
    gateway: {
      auth: { rateLimit: { maxAttempts, windowMs: 60_000, lockoutMs: 60_000, exemptLoopback: false } },
    },
  };
  const count = (outcomes, code) => outcomes.filter((outcome) => outcome === code).length;
  const wsGateway = await startGateway(config);
  let ws;
  try {
    progress("limiter: 100 parallel wrong tokens + the right one over WebSocket");
    const wrong = Array.from({ length: 100 }, (_, index) => wsConnect(wsGateway.url, `wrong-${index}`));
    await pause(5);
    const outcomes = await Promise.all([...wrong, wsConnect(wsGateway.url, wsGateway.token)]);
    ws = {
      checked: count(outcomes, "AUTH_TOKEN_MISMATCH"),
      limited: count(outcomes, "AUTH_RATE_LIMITED"),
      refusedAtUpgrade: count(outcomes, "socket-error"),
      rightTokenOutcome: outcomes[100],
    };
  } finally {
    wsGateway.stop();
  }
  const httpGateway = await startGateway(config);
  try {
    progress("limiter: 100 parallel wrong bearer tokens + the right one over HTTP");
    const health = (token) =>
      fetch(`${httpGateway.httpUrl}/v1/health`, { headers: { authorization: `Bearer ${token}` } }).then(
        (response) => response.status,
      );
    const wrong = Array.from({ length: 100 }, (_, index) => health(`wrong-${index}`));
    await pause(5);
    const statuses = await Promise.all([...wrong, health(httpGateway.token)]);
    return {
      maxAttempts,
      ws,
      http: { checked: count(statuses, 401), limited: count(statuses, 429), rightTokenStatus: statuses[100] },
    };
  } finally {
    httpGateway.stop();
  }
}

const results = {};
if (!skip.has("fuzz")) results.fuzz = await fuzzPhase();
if (!skip.has("preauth")) results.preAuth = await preAuthPhase();
if (!skip.has("limiter")) results.limiter = await limiterPhase();
if (!skip.has("kills")) {
  progress(`kills: ${kills} kill -9 trials during chat.send`);
  results.kills = await runKillLoop({ kills, driver, log: progress });
}

const rows = [];
if (results.fuzz) {
  const f = results.fuzz;
  rows.push(
    [
      "fuzz frames sent / unanswered / malformed replies",
      `${f.frames} / ${f.unanswered} / ${f.malformedReplies}`,
    ],
    ["fuzz largest error reply", `${f.maxErrorReplyBytes} B`],
    ["fuzz health after / RSS after", `${f.healthAfterMs.toFixed(1)} ms / ${f.rssAfterMb.toFixed(1)} MB`],
  );
}
if (results.preAuth) {
  const p = results.preAuth;
  rows.push(
    [`pre-auth sockets upgraded / refused 503 (of ${p.sockets})`, `${p.upgraded} / ${p.refused503}`],
    ["pre-auth sockets still open 1.5 s after 24 MiB headers", String(p.stillOpenAfter1500ms)],
    [
      "pre-auth RSS before -> after (budget < 150 MB)",
      `${p.rssBeforeMb.toFixed(1)} -> ${p.rssAfterMb.toFixed(1)} MB`,
    ],
  );
}
if (results.limiter) {
  const l = results.limiter;
  rows.push(
    [
      `limiter WS: tokens checked of 100 (max ${l.maxAttempts}) / right token`,
      `${l.ws.checked} / ${l.ws.rightTokenOutcome}`,
    ],
    [
      `limiter HTTP: tokens checked of 100 (max ${l.maxAttempts}) / right token`,
      `${l.http.checked} / ${l.http.rightTokenStatus}`,
    ],
  );
}
if (results.kills) {
  const k = results.kills;
  rows.push(
    ["kill -9 trials / acked chat.send", `${k.kills} / ${k.acked}`],
    ["acked messages lost / duplicated", `${k.lost} / ${k.duplicates}`],
    ["retries after restart answered with the original run", String(k.retriesDeduped)],
  );
}
const width = Math.max(...rows.map(([label]) => label.length));
for (const [label, value] of rows) process.stdout.write(`${label.padEnd(width)}  ${value}\n`);
process.stdout.write(`${JSON.stringify(results)}\n`);
process.exit(0);
