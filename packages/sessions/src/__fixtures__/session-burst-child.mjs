// Child process for the crash test: hammers the BUILT store until the parent SIGKILLs it, printing
// `ack <n>` only after the store has acknowledged write <n>. Pipe writes are synchronous on Linux,
// so every printed ack reaches the parent even though the process dies without warning.
import { createFileSessionStore } from "../../dist/index.js";

const [stateDir, mode] = process.argv.slice(2);
const LANES = 32;
const store = await createFileSessionStore({ stateDir });
let next = 0;

async function patchOne(n) {
  await Promise.all([
    store.patch(`agent:main:burst-${n}`, { label: `label-${n}`, category: `lane-${n % LANES}` }),
    // Patches to one key apply in call order, so an acked shared write n means the stored value is >= n.
    n % 4 === 0 ? store.patch("agent:main:shared", { model: `m-${n}` }) : undefined,
  ]);
}

async function appendOne(n) {
  await store.appendTranscript("agent:main:chat", {
    role: n % 2 ? "assistant" : "user",
    text: `msg-${n}`,
    ts: n,
  });
}

const work = mode === "append" ? appendOne : patchOne;

async function lane() {
  for (;;) {
    const n = next++;
    await work(n);
    process.stdout.write(`ack ${n}\n`);
  }
}

await Promise.all(Array.from({ length: LANES }, lane));
