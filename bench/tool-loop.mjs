#!/usr/bin/env node
// What one tool step adds to a turn. The real gateway (in this process) runs chat turns against a loopback fake model
// that answers instantly: a plain turn, and a turn in which the model calls the built-in `read` tool K times before it
// answers. (toolTurn - plainTurn) / K is the time of one step through the gateway; one step also costs one extra
// model request, whose round trip straight to the fake (measured in the same round) is subtracted, so what remains
// is the gateway's own work per step: policy, tool call, result, events and the durable transcript writes.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs, percentile, progress, root, testingEntry } from "./bench-support.mjs";

const args = parseArgs();
const config = {
  rounds: Number(args.get("rounds") ?? 60),
  warmup: Number(args.get("warmup") ?? 5),
  steps: Number(args.get("steps") ?? 5),
};
for (const [key, value] of Object.entries(config)) {
  if (!Number.isInteger(value) || value < (key === "warmup" ? 0 : 1)) {
    throw new Error(`--${key}=${args.get(key)} is not a whole number${key === "warmup" ? "" : " above 0"}`);
  }
}
const goalPerStepMs = 3;
const token = "b".repeat(64);

const load = async (path, what) => {
  try {
    return await import(pathToFileURL(join(root, path)).href);
  } catch (error) {
    throw new Error(`${what} is not built (${error.message}): run \`npx -y pnpm@10 run build\` in ${root}`);
  }
};
const { startFakeModelServer } = await import(pathToFileURL(testingEntry).href);
const { startGatewayServer } = await load("apps/gateway/dist/index.js", "@openclaw/gateway");
const { GatewayClient } = await load("packages/client/dist/index.js", "@openclaw/client");

const stateDir = mkdtempSync(join(tmpdir(), "openclaw-bench-tool-loop-"));
const fake = await startFakeModelServer();
writeFileSync(
  join(stateDir, "openclaw.json"),
  JSON.stringify({
    models: {
      providers: {
        fake: {
          baseUrl: fake.baseUrlFor("openai-completions"),
          apiKey: "k",
          api: "openai-completions",
          models: [{ id: "instant" }],
        },
      },
    },
    agents: { defaults: { model: { primary: "fake/instant" } } },
    logging: { level: "error" },
  }),
);
const gateway = await startGatewayServer(0, { stateDir, env: {}, auth: { mode: "token", token } });
const client = new GatewayClient({ url: gateway.url, token });
await client.connect();
writeFileSync(join(stateDir, "workspace", "note.txt"), "a short note for the read tool\n");

async function turn(sessionKey, toolSteps) {
  for (let step = 0; step < toolSteps; step++) {
    fake.enqueue({ toolCalls: [{ id: `call_${step}`, name: "read", arguments: { path: "note.txt" } }] });
  }
  fake.enqueue({ text: "done" });
  const started = performance.now();
  const { runId } = await client.request("chat.send", {
    sessionKey,
    message: "go",
    idempotencyKey: sessionKey,
  });
  const waited = await client.request("agent.wait", { runId, timeoutMs: 10_000 });
  const elapsed = performance.now() - started;
  if (waited.status !== "ok") throw new Error(`run ${runId} ended ${JSON.stringify(waited)}`);
  return elapsed;
}

/**
 * The model round trip one step costs anyway: the gateway's own last request of the tool turn (same system prompt,
 * tool schemas and history, so the fake parses as much) sent straight to the fake, answered with a tool call.
 */
async function directStep(body) {
  fake.enqueue({ toolCalls: [{ id: "call_direct", name: "read", arguments: { path: "note.txt" } }] });
  const payload = JSON.stringify(body);
  const started = performance.now();
  const response = await fetch(`${fake.baseUrlFor("openai-completions")}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer k" },
    body: payload,
  });
  await response.text();
  return performance.now() - started;
}

const perStep = [];
const plain = [];
const withTools = [];
const floor = [];
try {
  for (let round = 0; round < config.warmup + config.rounds; round++) {
    const plainMs = await turn(`agent:main:bench-plain-${round}`, 0);
    const toolsMs = await turn(`agent:main:bench-tools-${round}`, config.steps);
    const lastBody = fake.requests.at(-1).body;
    let directMs = 0;
    for (let step = 0; step < config.steps; step++) directMs += await directStep(lastBody);
    if (round < config.warmup) continue;
    plain.push(plainMs);
    withTools.push(toolsMs);
    floor.push(directMs / config.steps);
    perStep.push((toolsMs - plainMs - directMs) / config.steps);
    if ((round + 1) % 10 === 0) progress(`round ${round + 1 - config.warmup}/${config.rounds}`);
  }
} finally {
  await client.close();
  await gateway.close();
  await fake.close();
  rmSync(stateDir, { recursive: true, force: true });
}

const sorted = (values) => [...values].sort((a, b) => a - b);
const row = (label, values) => {
  const s = sorted(values);
  return `${label.padEnd(38)} p50 ${percentile(s, 50).toFixed(2).padStart(7)} ms   p90 ${percentile(s, 90).toFixed(2).padStart(7)} ms`;
};
console.log(
  `tool loop: ${config.rounds} rounds, ${config.steps} read steps per tool turn, instant fake model`,
);
console.log(row("plain turn (no tools)", plain));
console.log(row(`turn with ${config.steps} tool steps`, withTools));
console.log(row("model round trip per step (direct)", floor));
console.log(row("added by the gateway per tool step", perStep));
const p50 = percentile(sorted(perStep), 50);
console.log(`goal: < ${goalPerStepMs} ms per step (p50): ${p50 < goalPerStepMs ? "met" : "NOT met"}`);
console.log(JSON.stringify({ bench: "tool-loop", ...config, perStepP50Ms: Number(p50.toFixed(3)) }));
