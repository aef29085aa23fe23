import { setTimeout as sleep } from "node:timers/promises";
import { isDeepStrictEqual } from "node:util";
import {
  GatewayError,
  MiscCompatErrorDetailCodes,
  USER_PREFS_LIMITS,
  USER_PREFS_STORED_KEY_LIMIT,
} from "@openclaw/protocol";
import { isSessionError, type SessionStorage, type StorageTable } from "@openclaw/sessions";

/**
 * OpenClaw keeps preferences per user profile; this gateway has no user profiles, so every operator of one gateway
 * shares one set (the Control UI's theme, fonts, ...), kept in one row of the storage's `users.prefs` table. Without
 * a storage engine (legacy file layout) there is nowhere durable, and the answer is OpenClaw's own
 * `no_durable_identity`, on which its UI keeps preferences in the browser.
 */
export const USER_PREFS_TABLE = "users.prefs";
const GATEWAY_ROW = "gateway";
const WRITE_ATTEMPTS = 8;
/** Writes of one gateway run one after another; the row's version guards against other processes only. */
const writeQueues = new WeakMap<SessionStorage, Promise<unknown>>();

type Prefs = Record<string, unknown>;

function prefsTable(storage: SessionStorage | undefined): StorageTable<Prefs> | undefined {
  return storage?.table(USER_PREFS_TABLE) as StorageTable<Prefs> | undefined;
}

export async function readUserPrefs(
  storage: SessionStorage | undefined,
  keys: readonly string[] | undefined,
): Promise<{ status: "ok"; entries: Prefs } | { status: "no_durable_identity" }> {
  const table = prefsTable(storage);
  if (!table) return { status: "no_durable_identity" };
  const stored = (await table.get(GATEWAY_ROW))?.value ?? {};
  const wanted = keys ?? Object.keys(stored).sort();
  return {
    status: "ok",
    entries: Object.fromEntries(
      wanted.filter((key) => Object.hasOwn(stored, key)).map((key) => [key, stored[key]]),
    ),
  };
}

/** Each value as JSON within OpenClaw's 4 KB; `null` marks a deletion. */
function checkValues(entries: Prefs): void {
  for (const [key, value] of Object.entries(entries)) {
    if (value === null) continue;
    const json = JSON.stringify(value);
    if (json === undefined) {
      throw new GatewayError("INVALID_REQUEST", `invalid users.prefs.set entry for ${key}: invalid-value`);
    }
    if (Buffer.byteLength(json, "utf8") > USER_PREFS_LIMITS.valueBytes) {
      throw new GatewayError(
        "INVALID_REQUEST",
        `invalid users.prefs.set entry for ${key}: value-too-large (at most ${USER_PREFS_LIMITS.valueBytes} bytes of JSON)`,
      );
    }
  }
}

function matchesExpected(current: Prefs, expected: Prefs): boolean {
  return Object.entries(expected).every(([key, value]) =>
    value === null
      ? !Object.hasOwn(current, key)
      : Object.hasOwn(current, key) && isDeepStrictEqual(current[key], value),
  );
}

/**
 * Applies `entries` (null deletes) when `expectedEntries` all match, as OpenClaw's compare-and-set: otherwise
 * `conflict`. One gateway's writes are queued; the row is written with its version, so a write racing another
 * gateway process on the same storage reads the fresh row and tries again.
 */
export async function writeUserPrefs(
  storage: SessionStorage | undefined,
  entries: Prefs,
  expectedEntries: Prefs | undefined,
): Promise<{ status: "ok" | "conflict" | "no_durable_identity" }> {
  const table = prefsTable(storage);
  if (!storage || !table) return { status: "no_durable_identity" };
  checkValues(entries);
  const previous = writeQueues.get(storage) ?? Promise.resolve();
  const write = previous.then(
    () => applyWrite(table, entries, expectedEntries),
    () => applyWrite(table, entries, expectedEntries),
  );
  writeQueues.set(
    storage,
    write.catch(() => undefined),
  );
  return write;
}

async function applyWrite(
  table: StorageTable<Prefs>,
  entries: Prefs,
  expectedEntries: Prefs | undefined,
): Promise<{ status: "ok" | "conflict" }> {
  for (let attempt = 1; ; attempt += 1) {
    const row = await table.get(GATEWAY_ROW);
    const current = row?.value ?? {};
    if (expectedEntries && !matchesExpected(current, expectedEntries)) return { status: "conflict" };
    // A Map, so a key such as "__proto__" is stored as a key like any other.
    const next = new Map(Object.entries(current));
    let adds = false;
    for (const [key, value] of Object.entries(entries)) {
      if (value === null) next.delete(key);
      else {
        next.set(key, value);
        adds = true;
      }
    }
    const currentCount = Object.keys(current).length;
    if (adds && next.size > USER_PREFS_STORED_KEY_LIMIT) {
      throw new GatewayError(
        "INVALID_REQUEST",
        `users.prefs.set exceeds the ${USER_PREFS_STORED_KEY_LIMIT}-key limit (current count: ${currentCount}); delete keys by setting them to null`,
        {
          details: {
            code: MiscCompatErrorDetailCodes.USER_PREFS_LIMIT_EXCEEDED,
            limit: USER_PREFS_STORED_KEY_LIMIT,
            currentCount,
          },
        },
      );
    }
    try {
      await table.put(GATEWAY_ROW, Object.fromEntries(next), row?.version ?? 0);
      return { status: "ok" };
    } catch (error) {
      if (!isSessionError(error, "SESSION_CONFLICT") || attempt >= WRITE_ATTEMPTS) throw error;
      // Another gateway process wrote the row: read it again after a short random pause.
      await sleep(Math.random() * 2 ** attempt * 5);
    }
  }
}
