#!/usr/bin/env node
// Inbound message -> outbound reply through a channel. The fake Telegram Bot API and an instant fake model run in
// this process; the real gateway long-polls the fake, so a turn is everything a Telegram user waits for: the held
// getUpdates waking up, grammY, the access check, the agent turn (transcript writes included), chunking and
// sendMessage. The same streamed completion asked of the fake model directly, in the same round, is the floor.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { cli, freePort, parseArgs, percentile, progress, root, testingEntry } from "./bench-support.mjs";
import { ConnectRejectedError, connect } from "./gateway-client.mjs";
import { ourGateway } from "./gateway-targets.mjs";

const args = parseArgs();
const config = {
  turns: Number(args.get("turns") ?? 200),
  warmup: Number(args.get("warmup") ?? 20),
  // One turn against an instant model takes milliseconds; past this something is stuck, not slow.
  turnTimeoutMs: Number(args.get("turn-timeout") ?? 10) * 1000,
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
const chunks = ["Hi", " there"];
const expectedText = chunks.join("");
const sender = { id: 4242, first_name: "Bench" };
const chatId = String(sender.id);

for (const [file, what] of [
  [cli, "the CLI"],
  [testingEntry, "@openclaw/testing"],
]) {
  if (!existsSync(file)) {
    throw new Error(`${what} is not built (${file} is missing): run \`npx -y pnpm@10 run build\` in ${root}`);
  }
}
const { startFakeModelServer, startFakeTelegramServer } = await import(pathToFileURL(testingEntry).href);

// Everything this run started, so an error or Ctrl-C leaves no gateway or temp dir behind (the fakes live in this
// process and die with it).
let gatewayChild;
let stateDir;
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

/** One streamed Chat Completions request to the fake model: request start -> `data: [DONE]`. */
async function directCompletion(url) {
  const payload = JSON.stringify({
    model: "instant",
    stream: true,
    messages: [{ role: "user", content: "bench turn" }],
  });
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), config.turnTimeoutMs);
  try {
    const started = performance.now();
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer x" },
      body: payload,
      signal: controller.signal,
    });
    if (!response.ok) throw new Error(`POST ${url} answered ${response.status}: ${await response.text()}`);
    const decoder = new TextDecoder();
    let buffer = "";
    let text = "";
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
        if (typeof content === "string") text += content;
      }
    }
    if (done === undefined) throw new Error(`POST ${url}: the stream ended without [DONE]`);
    if (text !== expectedText) throw new Error(`POST ${url}: streamed "${text}", expected "${expectedText}"`);
    return done - started;
  } catch (error) {
    if (controller.signal.aborted)
      throw new Error(`POST ${url} did not finish within ${config.turnTimeoutMs} ms`);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

const isReply = (sent) => sent.method === "sendMessage" && sent.chatId === chatId;
const isTyping = (sent) => sent.method === "sendChatAction" && sent.chatId === chatId;

/**
 * One DM: injection into the fake's update queue (which answers the held getUpdates at once) -> the bot's
 * sendMessage to that chat arriving at the fake, and -> its typing action (sent before the agent turn starts, so
 * it times the inbound half alone). `before` counts earlier turns, so each turn waits for its own calls.
 */
async function channelTurn(telegram, round, before) {
  // Untimed: the adapter's next long poll must be held, or the turn would include its loop turning over.
  await telegram.waitForActivePolls(1, config.turnTimeoutMs);
  const wait = { count: before + 1, timeoutMs: config.turnTimeoutMs };
  const started = performance.now();
  telegram.sendMessage({
    chat: { id: sender.id, type: "private" },
    from: sender,
    text: `bench turn ${round}`,
  });
  const stamp = (calls) => ({ calls, at: performance.now() - started });
  const [typing, replies] = await Promise.all([
    telegram.waitForSent(isTyping, wait).then(stamp),
    telegram.waitForSent(isReply, wait).then(stamp),
  ]);
  const reply = replies.calls[before];
  if (reply.text !== expectedText) {
    throw new Error(`the reply to "bench turn ${round}" was "${reply.text}", expected "${expectedText}"`);
  }
  return { typing: typing.at, reply: replies.at };
}

async function startGateway(fakeModel, telegram) {
  stateDir = mkdtempSync(join(tmpdir(), "openclaw-bench-channel-"));
  writeFileSync(
    join(stateDir, "openclaw.json"),
    JSON.stringify({
      models: {
        providers: {
          fake: {
            baseUrl: fakeModel.baseUrlFor("openai-completions"),
            apiKey: "x",
            api: "openai-completions",
            models: [{ id: "instant", contextWindow: 128_000 }],
          },
        },
      },
      agents: { defaults: { model: { primary: "fake/instant" } } },
      channels: {
        telegram: {
          botToken: telegram.token,
          apiRoot: telegram.apiRoot,
          allowFrom: [chatId],
          pollTimeoutSeconds: 30,
        },
      },
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
  let client;
  while (!client) {
    try {
      // Only proves the gateway is up; the turns never use the WebSocket.
      client = await connect(url, token);
    } catch (error) {
      if (error instanceof ConnectRejectedError || child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`the gateway did not start: ${error.message}\n${stderr}`);
      }
      await new Promise((done) => setTimeout(done, target.retryDelayMs));
    }
  }
  const gateway = { child, client };
  try {
    await telegram.waitForActivePolls(1, Math.max(1, deadline - Date.now()));
  } catch (error) {
    await stopGateway(gateway);
    throw new Error(`the Telegram adapter never long-polled the fake: ${error.message}\n${stderr}`);
  }
  return gateway;
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
  const sorted = Float64Array.from(samples).sort();
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

const fakeModel = await startFakeModelServer();
const instantReply = () => fakeModel.setDefaultReply({ chunks });
instantReply();
const telegram = await startFakeTelegramServer();
let gateway;
try {
  progress("starting the gateway (fake/instant model, Telegram on the loopback fake Bot API)");
  gateway = await startGateway(fakeModel, telegram);
  const directUrl = `${fakeModel.baseUrlFor("openai-completions")}/chat/completions`;
  const direct = [];
  const channel = [];
  const typing = [];
  const rounds = config.warmup + config.turns;
  let extraModelCalls = 0;
  progress(
    `${config.warmup} warm-up + ${config.turns} measured rounds; each round one direct call and one DM`,
  );
  for (let round = 0; round < rounds; round += 1) {
    const directMs = await directCompletion(directUrl);
    const turn = await channelTurn(telegram, round, round);
    if (round >= config.warmup) {
      direct.push(directMs);
      channel.push(turn.reply);
      typing.push(turn.typing);
    }
    // Every DM must be exactly one model call, or the comparison with the direct call is unfair.
    extraModelCalls += fakeModel.requests.length - 2;
    // Untimed: keeps the fake's request log (with the growing conversation) from filling memory.
    fakeModel.reset();
    instantReply();
    if ((round + 1) % 50 === 0) progress(`${round + 1}/${rounds} rounds`);
  }
  const otherSends = telegram.sent.filter(
    (sent) => sent.chatId !== chatId || (sent.method !== "sendMessage" && sent.method !== "sendChatAction"),
  ).length;
  const replies = telegram.sent.filter(isReply).length;

  const stats = { direct: summary(direct), channel: summary(channel), typing: summary(typing) };
  const added = { p50: stats.channel.p50 - stats.direct.p50, p99: stats.channel.p99 - stats.direct.p99 };
  const ms = (value) => `${value.toFixed(2)} ms`;
  const header = ["path", "p50", "p99"];
  const table = [
    ["Telegram DM -> reply sendMessage", ms(stats.channel.p50), ms(stats.channel.p99)],
    ["direct to the fake model", ms(stats.direct.p50), ms(stats.direct.p99)],
    ["added by gateway + adapter", ms(added.p50), ms(added.p99)],
    ["DM -> typing action (inbound half)", ms(stats.typing.p50), ms(stats.typing.p99)],
  ];
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
    `${config.turns} sequential DMs from one allowed sender (one session, its history reaches ${2 * rounds} entries) after ${config.warmup} warm-up; added = DM minus direct, same run.`,
  );
  if (extraModelCalls !== 0) console.log(`WARNING: ${extraModelCalls} model calls beyond one per DM`);
  if (replies !== rounds) console.log(`WARNING: ${replies} replies to ${rounds} DMs`);
  if (otherSends !== 0) console.log(`WARNING: ${otherSends} unexpected calls to the Bot API's send methods`);

  const round4 = (value) => Number(value.toFixed(4));
  console.log(
    JSON.stringify({
      turns: config.turns,
      warmup: config.warmup,
      replyP50Ms: round4(stats.channel.p50),
      replyP99Ms: round4(stats.channel.p99),
      directP50Ms: round4(stats.direct.p50),
      directP99Ms: round4(stats.direct.p99),
      addedP50Ms: round4(added.p50),
      addedP99Ms: round4(added.p99),
      typingP50Ms: round4(stats.typing.p50),
      typingP99Ms: round4(stats.typing.p99),
      extraModelCalls,
      replies,
      typingActions: telegram.sent.filter(isTyping).length,
      node: process.version,
    }),
  );
} finally {
  if (gateway) await stopGateway(gateway);
  await telegram.close();
  await fakeModel.close();
}
