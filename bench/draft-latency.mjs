#!/usr/bin/env node
// First model token -> first visible draft. The gateway runs in this process (startGateway from the built
// @openclaw/gateway-core) with the fake model server and an in-memory channel that can edit messages
// (`streaming: "partial"`). Per turn: t0 is the gateway's first assistant delta of the run (the first token, parsed
// from the model's stream), t1 the channel's sendText of the draft. Two shapes of stream:
//   wide   - the first token already carries a sentence: t1 - t0 is the gateway's own cost (goal < 50 ms);
//   narrow - 5-character tokens every 20 ms: the draft also waits until it has 30 characters (a one-word push
//            notification helps nobody), so the number includes that wait by design.
// It also reports the spacing of the draft's edits, which must respect the platform's rate limit (1 s).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs, percentile, progress, root, testingEntry } from "./bench-support.mjs";

const args = parseArgs();
const turns = Number(args.get("turns") ?? 20);
if (!Number.isInteger(turns) || turns < 1)
  throw new Error(`--turns=${args.get("turns")} is not a whole number above 0`);
const coreEntry = join(root, "packages/gateway-core/dist/index.js");
const sdkEntry = join(root, "packages/plugin-sdk/dist/index.js");
for (const [file, what] of [
  [coreEntry, "@openclaw/gateway-core"],
  [sdkEntry, "@openclaw/plugin-sdk"],
  [testingEntry, "@openclaw/testing"],
]) {
  if (!existsSync(file))
    throw new Error(`${what} is not built (${file} is missing): run \`npx -y pnpm@10 run build\``);
}
const { startGateway, PluginRegistry } = await import(pathToFileURL(coreEntry).href);
const { CHANNEL_PLUGIN_API_VERSION } = await import(pathToFileURL(sdkEntry).href);
const { startFakeModelServer } = await import(pathToFileURL(testingEntry).href);
const requireFromCore = createRequire(join(root, "packages/gateway-core/package.json"));
const { z } = await import(pathToFileURL(requireFromCore.resolve("zod")).href);

const stateDir = mkdtempSync(join(tmpdir(), "openclaw-bench-drafts-"));
process.on("exit", () => rmSync(stateDir, { recursive: true, force: true }));

/** The in-memory platform: records when each draft send and edit happened, per chat. */
const writes = new Map();
let context;
let nextId = 0;
const record = (to, kind) => {
  const list = writes.get(to) ?? [];
  list.push({ kind, at: performance.now() });
  writes.set(to, list);
};
const plugin = {
  apiVersion: CHANNEL_PLUGIN_API_VERSION,
  id: "benchchat",
  meta: { label: "Bench chat" },
  configSchema: z.looseObject({}),
  capabilities: {
    dms: true,
    groups: false,
    threads: false,
    reactions: false,
    typing: false,
    media: false,
    edits: true,
    maxTextLength: 4096,
  },
  startAccount: async (ctx) => {
    context = ctx;
    ctx.setStatus({ connected: true, lastError: null });
    return { stop: async () => undefined };
  },
  sendText: async ({ to }) => {
    record(to, "send");
    nextId += 1;
    return { messageId: `m${nextId}` };
  },
  editText: async ({ to }) => record(to, "edit"),
};

const fake = await startFakeModelServer();
writeFileSync(
  join(stateDir, "openclaw.json"),
  JSON.stringify({
    models: {
      providers: {
        fake: {
          baseUrl: fake.baseUrlFor("openai-completions"),
          apiKey: "fake-key",
          api: "openai-completions",
          models: [{ id: "fast", name: "Fast fake", contextWindow: 32_000 }],
        },
      },
    },
    agents: { defaults: { model: { primary: "fake/fast" } } },
    channels: { benchchat: { dmPolicy: "open", allowFrom: ["*"], streaming: "partial" } },
  }),
);
const plugins = new PluginRegistry();
plugins.registerChannel(plugin);
const server = await startGateway({
  port: 0,
  stateDir,
  env: {},
  plugins,
  auth: { mode: "token", token: "bench-token" },
});
const runtime = server.runtime;
for (let waited = 0; context === undefined; waited += 10) {
  if (waited > 15_000) throw new Error("the bench channel account did not start within 15 s");
  await new Promise((resolve) => setTimeout(resolve, 10));
}

/** The current turn's first assistant delta, as the gateway saw it (turns run one after another). */
let firstDeltaAt;
const unsubscribe = runtime.chat.agent.on((event) => {
  if (event.stream === "assistant" && firstDeltaAt === undefined) firstDeltaAt = performance.now();
});

async function turn(index, chunks, chunkDelayMs) {
  const peer = `user-${index}-${chunkDelayMs}-${chunks.length}`;
  fake.enqueue({ chunks, chunkDelayMs });
  firstDeltaAt = undefined;
  context.onInbound({
    channel: "benchchat",
    accountId: "default",
    peer: { id: peer },
    chatKind: "dm",
    sender: { id: peer },
    text: "tell me something",
    mentionsBot: false,
    timestamp: Date.now(),
    platformMessageId: `in-${peer}`,
  });
  await runtime.channels.idle();
  const draft = writes.get(peer) ?? [];
  const t0 = firstDeltaAt;
  const first = draft.find((write) => write.kind === "send");
  if (t0 === undefined || first === undefined)
    throw new Error(`turn ${peer}: no first token or no draft was seen`);
  const edits = draft.filter((write) => write.kind === "edit").map((write) => write.at);
  const gaps = [first.at, ...edits].slice(1).map((at, i) => at - [first.at, ...edits][i]);
  return { latency: first.at - t0, gaps };
}

const shapes = [
  {
    name: "wide",
    chunks: ["Here is a first sentence that is long enough to show. ", ...Array(30).fill("more words ")],
    delay: 60,
  },
  { name: "narrow", chunks: Array(80).fill("word "), delay: 20 },
];
const results = {};
for (const shape of shapes) {
  const latencies = [];
  const gaps = [];
  for (let index = 0; index < turns; index += 1) {
    const result = await turn(index, shape.chunks, shape.delay);
    latencies.push(result.latency);
    gaps.push(...result.gaps);
    if ((index + 1) % 5 === 0) progress(`${shape.name}: ${index + 1}/${turns} turns`);
  }
  latencies.sort((a, b) => a - b);
  gaps.sort((a, b) => a - b);
  results[shape.name] = {
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    max: latencies.at(-1),
    minEditGapMs: gaps[0],
    edits: gaps.length,
  };
}
unsubscribe();
await server.close({ reason: "bench finished" });
await fake.close();

const ms = (value) => (value === undefined ? "-" : `${value.toFixed(1)} ms`);
console.log("first model token -> first visible draft (in-memory channel, streaming: partial)");
console.log("stream  | p50        | p95        | max        | edits | smallest gap between edits");
for (const [name, r] of Object.entries(results)) {
  console.log(
    `${name.padEnd(7)} | ${ms(r.p50).padEnd(10)} | ${ms(r.p95).padEnd(10)} | ${ms(r.max).padEnd(10)} | ${String(r.edits).padEnd(5)} | ${ms(r.minEditGapMs)}`,
  );
}
console.log(
  "goal: wide p95 < 50 ms (the gateway's own cost); edits never closer than the 1 s platform limit",
);
console.log(JSON.stringify({ bench: "draft-latency", turns, results }));
