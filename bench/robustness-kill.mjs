#!/usr/bin/env node
// Acknowledged means durable: kill -9 the gateway at random moments while chat.send calls are acknowledged on several
// connections, restart it on the same state dir, and count what the acknowledgements promised. Every acked message
// must be in its session's transcript exactly once, and a retry with the same idempotencyKey after the restart must
// answer the original runId and start nothing. `node bench/robustness-kill.mjs [--kills=25] [--driver=sqlite]` prints
// the figures; `runKillLoop` is the same loop for bench/robustness.mjs and the CI-sized test in gateway-core.
// `driver` picks the store (`storage.driver` in the config); without it the config has no `storage` key and the
// gateway uses its default store. `via: "app"` starts bench/gateway-app.mjs instead of the CLI.
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { cli, parseArgs, root, testingEntry } from "./bench-support.mjs";
import { connect } from "./gateway-client.mjs";
import { startOurGateway } from "./gateway-targets.mjs";
import {
  createPostgresSchema,
  dropPostgresSchema,
  requireDriver,
  storageSection,
} from "./storage-config.mjs";

const CONNECTIONS = 3;
const IN_FLIGHT_PER_CONNECTION = 3;

function requireBuilt() {
  for (const [file, what] of [
    [cli, "the CLI"],
    [testingEntry, "@openclaw/testing"],
  ]) {
    if (!existsSync(file)) {
      throw new Error(
        `${what} is not built (${file} is missing): run \`npx -y pnpm@10 run build\` in ${root}`,
      );
    }
  }
}

const pause = (ms) => new Promise((done) => setTimeout(done, ms));
const randomInt = (min, max) => min + Math.floor(Math.random() * (max - min + 1));

/**
 * Keeps `IN_FLIGHT_PER_CONNECTION` chat.send calls in flight on one connection until its socket dies, recording every
 * acknowledged one. Each message text is unique, so the transcript can be searched for it.
 */
async function sendUntilClosed(client, trial, connection, acked) {
  let next = 0;
  const lane = async () => {
    for (;;) {
      next += 1;
      const n = next;
      const params = {
        sessionKey: `agent:main:kill-${trial}-${connection}`,
        message: `trial ${trial} connection ${connection} message ${n}`,
        idempotencyKey: `kill-${trial}-${connection}-${n}`,
      };
      let reply;
      try {
        reply = await client.request("chat.send", params);
      } catch {
        return;
      }
      acked.push({ ...params, runId: reply.runId });
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT_PER_CONNECTION }, lane));
}

/** One trial: a burst of chat.send on fresh connections, SIGKILL at a random moment after some were acked. */
async function killTrial(gateway, token, trial, log) {
  const clients = await Promise.all(Array.from({ length: CONNECTIONS }, () => connect(gateway.url, token)));
  const acked = [];
  const killAfterAcks = randomInt(1, 60);
  const killDelayMs = randomInt(0, 80);
  const killer = (async () => {
    while (acked.length < killAfterAcks && gateway.child.exitCode === null) await pause(1);
    await pause(killDelayMs);
    gateway.child.kill("SIGKILL");
  })();
  await Promise.all(clients.map((client, index) => sendUntilClosed(client, trial, index, acked)));
  await killer;
  const signal = await gateway.exited;
  if (signal !== "SIGKILL") throw new Error(`trial ${trial}: the gateway exited by ${signal}, not SIGKILL`);
  log(`kill ${trial}: SIGKILL ${killDelayMs} ms after ack ${killAfterAcks}; ${acked.length} acknowledged`);
  return acked;
}

/** The text of one chat.history message: OpenClaw's content blocks (`{ type: "text", text }`), joined. */
function messageText(message) {
  const content = Array.isArray(message.content) ? message.content : [];
  return content
    .filter((block) => block?.type === "text" && typeof block.text === "string")
    .map((block) => block.text)
    .join("");
}

/** How often each acked message is in its session's transcript, read through chat.history. */
async function countInTranscripts(client, acked) {
  const bySession = new Map();
  for (const send of acked) {
    if (!bySession.has(send.sessionKey)) {
      const history = await client.request("chat.history", { sessionKey: send.sessionKey, limit: 1000 });
      bySession.set(
        send.sessionKey,
        history.messages.filter((message) => message.role === "user").map(messageText),
      );
    }
  }
  return acked.map((send) => bySession.get(send.sessionKey).filter((text) => text === send.message).length);
}

/** Retries every message acked before the last kill; each must answer its original runId as a duplicate. */
async function retryAll(client, acked, log) {
  let deduped = 0;
  for (const { runId, trial: _trial, ...params } of acked) {
    const reply = await client.request("chat.send", params);
    if (reply.runId === runId && reply.deduped === true) deduped += 1;
    else log(`retry of ${params.idempotencyKey} (run ${runId}) answered ${JSON.stringify(reply)}`);
  }
  return deduped;
}

/**
 * Runs `kills` kill -9 trials on one state dir and returns the figures: messages acknowledged, acknowledged ones
 * missing from the transcript after the restarts, ones present more than once, and retries answered as duplicates
 * of the original run.
 */
export async function runKillLoop({ kills = 25, log = console.log, driver, via = "cli" } = {}) {
  requireBuilt();
  if (driver !== undefined) requireDriver(driver);
  const schema = driver === "postgres" ? createPostgresSchema() : undefined;
  const { startFakeModelServer } = await import(pathToFileURL(testingEntry).href);
  const fake = await startFakeModelServer();
  // Answers take a little while, so kills land both while runs stream and between them.
  fake.setDefaultReply(() => ({
    chunks: ["acknowledged", " and", " answered"],
    chunkDelayMs: randomInt(0, 15),
  }));
  const stateDir = mkdtempSync(join(tmpdir(), "openclaw-bench-kill-"));
  const storage = driver === undefined ? undefined : storageSection(driver, schema);
  const token = randomBytes(24).toString("hex");
  writeFileSync(
    join(stateDir, "openclaw.json"),
    JSON.stringify({
      ...(storage ? { storage } : {}),
      models: {
        providers: {
          fake: {
            baseUrl: fake.baseUrlFor("openai-completions"),
            apiKey: "x",
            api: "openai-completions",
            models: [{ id: "m", contextWindow: 128_000 }],
          },
        },
      },
      agents: { defaults: { model: { primary: "fake/m" } } },
    }),
  );
  const acked = [];
  const lost = new Set();
  const duplicated = new Set();
  let retried = 0;
  let retriesDeduped = 0;
  let gateway;
  const tally = (sends, counts) => {
    for (const [i, send] of sends.entries()) {
      if (counts[i] === 0) lost.add(send);
      if (counts[i] > 1) duplicated.add(send);
    }
  };
  /** Counts the acked messages in the transcripts, then retries them: a retry must neither run nor write again. */
  const checkAndRetry = async (sends) => {
    tally(sends, await countInTranscripts(gateway.client, sends));
    retried += sends.length;
    retriesDeduped += await retryAll(gateway.client, sends, log);
    tally(sends, await countInTranscripts(gateway.client, sends));
  };
  try {
    for (let trial = 1; trial <= kills; trial++) {
      gateway = await startOurGateway(stateDir, token, { via });
      await checkAndRetry(acked.filter((send) => send.trial === trial - 1));
      for (const send of await killTrial(gateway, token, trial, log)) acked.push({ ...send, trial });
    }
    gateway = await startOurGateway(stateDir, token, { via });
    await checkAndRetry(acked.filter((send) => send.trial === kills));
    // A later kill must not have cost an earlier trial anything either.
    tally(acked, await countInTranscripts(gateway.client, acked));
    gateway.client.close();
    gateway.child.kill("SIGTERM");
    await gateway.exited;
    gateway = undefined;
    const figures = {
      kills,
      acked: acked.length,
      lost: lost.size,
      duplicates: duplicated.size,
      retried,
      retriesDeduped,
    };
    log(
      `kill -9 x${kills} (${driver ?? "default"} store): ${figures.acked} chat.send acknowledged, ${figures.lost} lost, ${figures.duplicates} duplicated; ${retriesDeduped} of ${retried} retries after a restart answered the original runId`,
    );
    return figures;
  } finally {
    gateway?.child.kill("SIGKILL");
    await fake.close();
    rmSync(stateDir, { recursive: true, force: true });
    if (schema) dropPostgresSchema(schema);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = parseArgs();
  const figures = await runKillLoop({
    kills: Number(args.get("kills") ?? 25),
    driver: args.get("driver"),
    via: args.get("via"),
    log: (line) => process.stderr.write(`bench: ${line}\n`),
  });
  process.stdout.write(`${JSON.stringify(figures)}\n`);
  process.exitCode =
    figures.lost === 0 && figures.duplicates === 0 && figures.retriesDeduped === figures.retried ? 0 : 1;
}
