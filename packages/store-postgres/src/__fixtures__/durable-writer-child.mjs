// Child process for the kill -9 test: writes through the BUILT storage until the parent SIGKILLs it, printing
// `ack <n>` only after write <n> resolved. Pipe writes are synchronous on Linux, so every printed ack reaches the
// parent even though the process dies without warning. Writes rotate over a session row, a transcript append with
// its session row, a table row, and an append to the transcript "shared" that every child writes to, 8 at a time.
import { createPostgresStorage } from "../../dist/index.js";

const [url, schema, id] = process.argv.slice(2);
const LANES = 8;
const storage = await createPostgresStorage({ url, schema, pool: { max: LANES } });
const table = storage.table("acks");
let next = 0;

async function writeOne(n) {
  const entry = { sessionId: `${id}-sess-${n}`, updatedAt: n };
  const kind = n % 4;
  if (kind === 0) {
    await storage.putSession({
      key: `agent:main:${id}-row-${n}`,
      agentId: "main",
      entry,
      expectedVersion: 0,
    });
  } else if (kind === 1) {
    await storage.appendTranscript(`${id}-sess-${n}`, [{ role: "user", text: `line ${n}`, ts: n }], {
      key: `agent:main:${id}-chat-${n}`,
      agentId: "main",
      entry,
      expectedVersion: 0,
    });
  } else if (kind === 2) {
    await table.put(`${id}-key-${n}`, { n });
  } else {
    await storage.appendTranscript("shared", [{ role: "user", text: `${id}-${n}`, ts: n }]);
  }
}

async function lane() {
  for (;;) {
    const n = next++;
    await writeOne(n);
    process.stdout.write(`ack ${n}\n`);
  }
}

await Promise.all(Array.from({ length: LANES }, lane));
