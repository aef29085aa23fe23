// Child process for the kill -9 test: writes through the BUILT storage until the parent SIGKILLs it, printing
// `ack <n>` only after write <n> was acknowledged. Pipe writes are synchronous on Linux, so every printed ack
// reaches the parent even though the process dies without warning.
import { createSqliteStorage } from "../../dist/index.js";

const [path, mode, synchronous, round] = process.argv.slice(2);
const LANES = 16;
const storage = await createSqliteStorage({ path, synchronous });
let next = 0;

async function putOne(n) {
  const key = `agent:main:r${round}-${n}`;
  await storage.putSession({
    key,
    agentId: "main",
    entry: { sessionId: `sid-r${round}-${n}`, updatedAt: n, label: `label-${n}` },
    expectedVersion: 0,
  });
  if (n % 3 === 0) await storage.table("acks").put(`r${round}-${n}`, { n });
}

async function appendOne(n) {
  const lane = n % LANES;
  await storage.appendTranscript(`chat-r${round}-${lane}`, [{ role: "user", text: `msg-${n}`, ts: n }]);
}

const work = mode === "append" ? appendOne : putOne;

async function lane() {
  for (;;) {
    const n = next++;
    await work(n);
    process.stdout.write(`ack ${n}\n`);
  }
}

await Promise.all(Array.from({ length: LANES }, lane));
