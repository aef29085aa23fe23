// Transcript lines for bench/session-scale.mjs without a model run per session. No gateway method appends a line
// without running the agent, and a chat turn on a new session costs tens of milliseconds, so 100k of them would
// take longer than the rest of the bench together. `--seed=store` (the default) therefore stops the gateway and
// appends the lines through the same session store the gateway opens on that state dir and storage config, then
// starts it again; `--seed=wire` does one real chat turn per session instead.
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { progress, root } from "./bench-support.mjs";

async function load(path, what) {
  try {
    return await import(pathToFileURL(join(root, path)).href);
  } catch (error) {
    throw new Error(`${what} is not built (${error.message}): run \`npx -y pnpm@10 run build\` in ${root}`);
  }
}

const storageDrivers = {
  sqlite: {
    entry: "packages/store-sqlite/dist/index.js",
    name: "@openclaw/store-sqlite",
    driver: "sqliteStorageDriver",
  },
  postgres: {
    entry: "packages/store-postgres/dist/index.js",
    name: "@openclaw/store-postgres",
    driver: "postgresStorageDriver",
  },
};

/**
 * The session store the gateway opens for this state dir and `storage` section: the file store for `file`, else the
 * driver's SessionStorage with the same options under `createSessionStore`, as the gateway composes them.
 */
async function openStore({ stateDir, storage }) {
  const { createFileSessionStore, createSessionStore } = await load(
    "packages/sessions/dist/index.js",
    "@openclaw/sessions",
  );
  if (storage.driver === "file") return createFileSessionStore({ stateDir });
  const { driver: id, ...options } = storage;
  const { entry, name, driver } = storageDrivers[id];
  const engine = (await load(entry, name))[driver];
  return createSessionStore(await engine.open(options, { stateDir, env: process.env }));
}

/**
 * Appends a user and an assistant line to each session `keyOf(i)`, i in [from, to), `concurrency` at a time, through
 * the store for `where` ({ stateDir, storage }: the gateway's state dir and config section; it must be stopped).
 */
export async function seedTranscripts(where, { from, to, keyOf, concurrency = 64 }) {
  const store = await openStore(where);
  const total = to - from;
  let next = from;
  let done = 0;
  let nextReport = 0.1;
  const started = performance.now();
  const lane = async () => {
    while (next < to) {
      const i = next++;
      const ts = Date.now();
      await store.appendTranscript(keyOf(i), { role: "user", text: `hello from session ${i}`, ts });
      await store.appendTranscript(keyOf(i), { role: "assistant", text: "ok", ts: ts + 1 });
      done += 1;
      if (done / total >= nextReport) {
        progress(`transcript lines ${from}..${to} (through the store): ${Math.round(nextReport * 100)}%`);
        nextReport += 0.1;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, lane));
  } finally {
    await store.close();
  }
  return total / ((performance.now() - started) / 1000);
}
