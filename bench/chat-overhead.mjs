#!/usr/bin/env node
// What the gateway adds to one chat turn. A loopback fake model answers instantly, so nearly all of a turn's time
// through the gateway is the gateway's own work; the same streamed completion asked of the fake directly, in the
// same run, is the floor that is subtracted. Turns are sequential and the paths take turns round by round, so a
// noisy neighbour slows all of them alike instead of one path's block.
import { spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { cli, freePort, parseArgs, percentile, progress, root, testingEntry } from "./bench-support.mjs";
import { ConnectRejectedError, connect } from "./gateway-client.mjs";
import { ourGateway } from "./gateway-targets.mjs";

const args = parseArgs();
const config = {
  turns: Number(args.get("turns") ?? 300),
  warmup: Number(args.get("warmup") ?? 30),
  // One turn against an instant model takes milliseconds; past this something is stuck, not slow.
  turnTimeoutMs: Number(args.get("turn-timeout") ?? 10) * 1000,
  // Gateway paths to run (direct always runs): one alone makes a --cpu-prof profile that path's alone.
  paths: (args.get("paths") ?? "wsSameSession,wsFreshSession,http").split(","),
  cpuProfileDir: args.get("cpu-prof") === undefined ? undefined : resolve(args.get("cpu-prof")),
};
for (const [key, value] of [
  ["turns", config.turns],
  ["warmup", config.warmup],
]) {
  if (!Number.isInteger(value) || value < (key === "turns" ? 1 : 0)) {
    throw new Error(`--${key}=${args.get(key)} is not a whole number${key === "turns" ? " above 0" : ""}`);
  }
}
const budgetAddedP50Ms = 2;
const chunks = ["Hello", " there", "!"];
const expectedText = chunks.join("");

for (const [file, what] of [
  [cli, "the CLI"],
  [testingEntry, "@openclaw/testing"],
]) {
  if (!existsSync(file)) {
    throw new Error(`${what} is not built (${file} is missing): run \`npx -y pnpm@10 run build\` in ${root}`);
  }
}
const { startFakeModelServer } = await import(pathToFileURL(testingEntry).href);

// Everything this run started, so an error or Ctrl-C leaves no gateway, fake or temp dir behind.
let gatewayChild;
let stateDir;
let fake;
function abandon() {
  try {
    gatewayChild?.kill("SIGKILL");
  } catch {
    // already gone
  }
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
}
process.on("exit", abandon);
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    abandon();
    process.exit(130);
  });
}

function withTimeout(promise, label) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, fail) => {
      timer = setTimeout(
        () => fail(new Error(`${label} did not finish within ${config.turnTimeoutMs} ms`)),
        config.turnTimeoutMs,
      );
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * One streamed Chat Completions request: request start -> first non-empty content delta, and -> `data: [DONE]`.
 * The body is serialised before the clock starts; reading the rest of the stream after [DONE] is not timed.
 */
async function streamCompletion(url, headers, body) {
  const payload = JSON.stringify(body);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), config.turnTimeoutMs);
  try {
    const started = performance.now();
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: payload,
      signal: controller.signal,
    });
    if (!response.ok) throw new Error(`POST ${url} answered ${response.status}: ${await response.text()}`);
    const decoder = new TextDecoder();
    let buffer = "";
    let text = "";
    let firstDelta;
    let done;
    for await (const bytes of response.body) {
      buffer += decoder.decode(bytes, { stream: true });
      for (let newline = buffer.indexOf("\n"); newline !== -1; newline = buffer.indexOf("\n")) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (!line.startsWith("data:")) continue;
        const data = line.slice(5).trim();
        if (data === "[DONE]") {
          done ??= performance.now();
          continue;
        }
        const content = JSON.parse(data).choices?.[0]?.delta?.content;
        if (typeof content === "string" && content !== "") {
          firstDelta ??= performance.now();
          text += content;
        }
      }
    }
    if (firstDelta === undefined || done === undefined) {
      throw new Error(
        `POST ${url}: the stream ended without ${firstDelta === undefined ? "content" : "[DONE]"}`,
      );
    }
    if (text !== expectedText) throw new Error(`POST ${url}: streamed "${text}", expected "${expectedText}"`);
    return { firstDelta: firstDelta - started, final: done - started };
  } catch (error) {
    if (controller.signal.aborted)
      throw new Error(`POST ${url} did not finish within ${config.turnTimeoutMs} ms`);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** `chat` events by run id, stamped on arrival; a run's events may in principle beat the chat.send reply. */
const chatRuns = new Map();
function chatRun(runId) {
  let run = chatRuns.get(runId);
  if (!run) {
    run = {};
    chatRuns.set(runId, run);
  }
  return run;
}
function onGatewayEvent(frame) {
  if (frame.event !== "chat") return;
  const arrived = performance.now();
  const { runId, state } = frame.payload;
  const run = chatRun(runId);
  if (state === "delta") {
    run.firstDelta ??= arrived;
    return;
  }
  run.end = arrived;
  run.state = state;
  run.payload = frame.payload;
  run.settle?.();
}

/** `chat.send` -> the run's first `chat` delta, and -> its `final`. */
async function chatTurn(client, sessionKey, message) {
  const params = { sessionKey, message, idempotencyKey: randomUUID() };
  const started = performance.now();
  const reply = await withTimeout(client.request("chat.send", params), `chat.send on ${sessionKey}`);
  const run = chatRun(reply.runId);
  if (run.end === undefined) {
    await withTimeout(
      new Promise((settle) => {
        run.settle = settle;
      }),
      `the chat run ${reply.runId} on ${sessionKey}`,
    );
  }
  chatRuns.delete(reply.runId);
  if (run.state !== "final") {
    throw new Error(
      `chat run on ${sessionKey} ended "${run.state}": ${run.payload.errorMessage ?? JSON.stringify(run.payload)}`,
    );
  }
  if (run.payload.message?.text !== expectedText) {
    throw new Error(
      `chat run on ${sessionKey} answered "${run.payload.message?.text}", expected "${expectedText}"`,
    );
  }
  if (run.firstDelta === undefined) throw new Error(`chat run on ${sessionKey} ended without a delta event`);
  return { firstDelta: run.firstDelta - started, final: run.end - started };
}

async function startGateway(fakeServer) {
  stateDir = mkdtempSync(join(tmpdir(), "openclaw-bench-chat-"));
  writeFileSync(
    join(stateDir, "openclaw.json"),
    JSON.stringify({
      models: {
        providers: {
          fake: {
            baseUrl: fakeServer.baseUrlFor("openai-completions"),
            apiKey: "x",
            api: "openai-completions",
            models: [{ id: "instant", contextWindow: 128_000 }],
          },
        },
      },
      // New sessions go to their own agent, so their growing sessions.json never slows the one-session path.
      agents: {
        defaults: { model: { primary: "fake/instant" } },
        list: [{ id: "main", default: true }, { id: "fresh" }],
      },
      gateway: { http: { endpoints: { chatCompletions: { enabled: true } } } },
    }),
  );
  const port = await freePort();
  const token = randomBytes(32).toString("hex");
  const target = ourGateway({ cli, coldStartRuns: 0, idleConnections: 0 });
  const launch = target.launch({ stateDir, port, token });
  const nodeFlags = config.cpuProfileDir ? ["--cpu-prof", `--cpu-prof-dir=${config.cpuProfileDir}`] : [];
  const child = spawn(launch.command, [...nodeFlags, ...launch.args], {
    env: launch.env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  gatewayChild = child;
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr = (stderr + chunk).slice(-8192);
  });
  const url = `ws://127.0.0.1:${port}`;
  const deadline = Date.now() + target.startTimeoutMs;
  for (;;) {
    try {
      const client = await connect(url, token, { onEvent: onGatewayEvent });
      return { child, client, httpUrl: `http://127.0.0.1:${port}/v1/chat/completions`, token };
    } catch (error) {
      if (error instanceof ConnectRejectedError || child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`the gateway did not start: ${error.message}\n${stderr}`);
      }
      await new Promise((done) => setTimeout(done, target.retryDelayMs));
    }
  }
}

async function stopGateway(gateway) {
  gateway.client.close();
  const { child } = gateway;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((done) => child.once("exit", done));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  }
  gatewayChild = undefined;
  rmSync(stateDir, { recursive: true, force: true });
  stateDir = undefined;
}

function summary(samples) {
  const firstDelta = Float64Array.from(samples, (sample) => sample.firstDelta).sort();
  const final = Float64Array.from(samples, (sample) => sample.final).sort();
  return {
    firstDeltaP50: percentile(firstDelta, 50),
    firstDeltaP99: percentile(firstDelta, 99),
    finalP50: percentile(final, 50),
    finalP99: percentile(final, 99),
  };
}

fake = await startFakeModelServer();
const instantReply = () => fake.setDefaultReply({ chunks });
instantReply();
let gateway;
try {
  progress("starting the gateway (fake/instant on the loopback fake model)");
  gateway = await startGateway(fake);
  const sameSession = "agent:main:bench-chat";
  const allPaths = [
    {
      key: "direct",
      label: "direct to the fake model",
      turn: () =>
        streamCompletion(
          `${fake.baseUrlFor("openai-completions")}/chat/completions`,
          { authorization: "Bearer x" },
          { model: "instant", stream: true, messages: [{ role: "user", content: "bench turn" }] },
        ),
    },
    {
      key: "wsSameSession",
      label: "WS chat.send, one session",
      turn: (round) => chatTurn(gateway.client, sameSession, `bench turn ${round}`),
    },
    {
      key: "wsFreshSession",
      label: "WS chat.send, new session",
      turn: (round) => chatTurn(gateway.client, `agent:fresh:bench-${round}`, `bench turn ${round}`),
    },
    {
      key: "http",
      label: "HTTP /v1/chat/completions",
      turn: () =>
        streamCompletion(
          gateway.httpUrl,
          { authorization: `Bearer ${gateway.token}` },
          { model: "openclaw", stream: true, messages: [{ role: "user", content: "bench turn" }] },
        ),
    },
  ];
  for (const key of config.paths) {
    if (!allPaths.some((path) => path.key === key && key !== "direct")) {
      throw new Error(`--paths: unknown path "${key}"; choose from wsSameSession, wsFreshSession, http`);
    }
  }
  const paths = allPaths.filter((path) => path.key === "direct" || config.paths.includes(path.key));
  const samples = new Map(paths.map((path) => [path.key, []]));
  const rounds = config.warmup + config.turns;
  let extraModelCalls = 0;
  progress(
    `${config.warmup} warm-up + ${config.turns} measured rounds; each round one turn per path: ${paths.map((path) => path.key).join(", ")}`,
  );
  for (let round = 0; round < rounds; round += 1) {
    for (const path of paths) {
      const sample = await path.turn(round);
      if (round >= config.warmup) samples.get(path.key).push(sample);
    }
    // Every turn must be exactly one model call, or the comparison with the direct path is unfair.
    extraModelCalls += fake.requests.length - paths.length;
    // Untimed: keeps the fake's request log (with the growing same-session history) from filling memory.
    fake.reset();
    instantReply();
    if ((round + 1) % 100 === 0) progress(`${round + 1}/${rounds} rounds`);
  }
  const stats = Object.fromEntries(paths.map((path) => [path.key, summary(samples.get(path.key))]));

  const direct = stats.direct;
  const ms = (value) => `${value.toFixed(2)} ms`;
  const added = (key) => ({
    firstDeltaP50: stats[key].firstDeltaP50 - direct.firstDeltaP50,
    firstDeltaP99: stats[key].firstDeltaP99 - direct.firstDeltaP99,
    finalP50: stats[key].finalP50 - direct.finalP50,
    finalP99: stats[key].finalP99 - direct.finalP99,
  });
  const header = [
    "path",
    "first delta p50",
    "p99",
    "final p50",
    "p99",
    "added p50 first/final",
    `budget < ${budgetAddedP50Ms} ms`,
  ];
  const table = paths.map((path) => {
    const row = stats[path.key];
    const cells = [
      path.label,
      ms(row.firstDeltaP50),
      ms(row.firstDeltaP99),
      ms(row.finalP50),
      ms(row.finalP99),
    ];
    if (path.key === "direct") return [...cells, "-", "-"];
    const extra = added(path.key);
    const ok = extra.firstDeltaP50 < budgetAddedP50Ms && extra.finalP50 < budgetAddedP50Ms;
    return [...cells, `${ms(extra.firstDeltaP50)} / ${ms(extra.finalP50)}`, ok ? "yes" : "NO"];
  });
  const widths = header.map((title, column) =>
    Math.max(title.length, ...table.map((row) => row[column].length)),
  );
  const line = (row) =>
    row
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[0]) : cell.padStart(widths[column])))
      .join("  ");
  console.log(line(header));
  for (const row of table) console.log(line(row));
  console.log(
    `${config.turns} sequential turns per path after ${config.warmup} warm-up; added = path minus direct, same run. ` +
      (stats.wsSameSession
        ? `Headline: WS one session (a conversation; its history reaches ${2 * rounds} entries).`
        : "Headline path (WS one session) not run."),
  );
  if (extraModelCalls !== 0) console.log(`WARNING: ${extraModelCalls} model calls beyond one per turn`);

  const round4 = (value) => Number(value.toFixed(4));
  const json = {
    turns: config.turns,
    warmup: config.warmup,
    budgetAddedP50Ms,
    headline: stats.wsSameSession ? "wsSameSession" : null,
  };
  for (const path of paths) {
    const entry = Object.fromEntries(
      Object.entries(stats[path.key]).map(([key, value]) => [`${key}Ms`, round4(value)]),
    );
    if (path.key !== "direct") {
      for (const [key, value] of Object.entries(added(path.key))) {
        entry[`added${key[0].toUpperCase()}${key.slice(1)}Ms`] = round4(value);
      }
    }
    json[path.key] = entry;
  }
  json.extraModelCalls = extraModelCalls;
  json.node = process.version;
  console.log(JSON.stringify(json));
} finally {
  if (gateway) await stopGateway(gateway);
  await fake.close();
}
