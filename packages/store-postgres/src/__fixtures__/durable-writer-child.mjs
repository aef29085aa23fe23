// Child process for the kill -9 test: writes through the BUILT storage until the parent SIGKILLs it, printing
// `ack <n>` only after write <n> resolved. Pipe writes are synchronous on Linux, so every printed ack reaches the
// parent even though the process dies without warning. Writes rotate over a session row, a transcript append
// with its session row, and a table row, 8 at a time.
import { createPostgresStorage } from "../../dist/index.js";

const [url, schema] = process.argv.slice(2);
const LANES = 8;
const storage = await createPostgresStorage({ url, schema, pool: { max: LANES } });
const table = storage.table("acks");
let next = 0;

async function writeOne(n) {
  const entry = { sessionId: `sess-${n}`, updatedAt: n };
  if (n % 3 === 0) {
    await storage.putSession({ key: `agent:main:row-${n}`, agentId: "main", entry, expectedVersion: 0 });
  } else if (n % 3 === 1) {
    await storage.appendTranscript(`sess-${n}`, [{ role: "user", text: `line ${n}`, ts: n }], {
      key: `agent:main:chat-${n}`,
      agentId: "main",
      entry,
      expectedVersion: 0,
    });
  } else {
    await table.put(`key-${n}`, { n });
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
