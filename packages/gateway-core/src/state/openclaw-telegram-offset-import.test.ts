import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { fileURLToPath } from "node:url";
import { createMemoryStorage } from "@openclaw/sessions";
import { afterEach, beforeEach, expect, it } from "vitest";
import { createChannelAccountStateStore } from "../channels/channel-account-state-store.js";
import { createLogger } from "../logging/logger.js";
import { importOpenClawSqliteState } from "./openclaw-sqlite-import.js";
import { importLegacyTelegramOffsets } from "./openclaw-telegram-offset-import.js";

const FIXTURE = fileURLToPath(
  new URL("../../../sessions/src/storage/__fixtures__/openclaw-2026.9.6-state.tar.gz", import.meta.url),
);
const logger = createLogger({ sinks: [] });
let stateDir: string;

beforeEach(async () => {
  const folder = await mkdtemp(join(tmpdir(), "openclaw-telegram-offset-"));
  execFileSync("tar", ["xzf", FIXTURE, "-C", folder]);
  stateDir = join(folder, "state");
});

afterEach(async () => {
  await rm(dirname(stateDir), { recursive: true, force: true });
});

it("takes OpenClaw 2026.9's Telegram offsets (plugin_state_entries) into channel state, leaving the database as it was", async () => {
  const dbPath = join(stateDir, "state", "openclaw.sqlite");
  const db = new DatabaseSync(dbPath);
  const insert = db.prepare(
    "INSERT INTO plugin_state_entries (plugin_id, namespace, entry_key, value_json, created_at) VALUES (?, ?, ?, ?, ?)",
  );
  insert.run(
    "telegram",
    "telegram.update-offsets",
    "default",
    JSON.stringify({ version: 3, lastUpdateId: 815, botId: "4242", tokenFingerprint: "f" }),
    1,
  );
  // OpenClaw discards an offset without its bot id at start; so do we.
  insert.run(
    "telegram",
    "telegram.update-offsets",
    "old",
    JSON.stringify({ version: 1, lastUpdateId: 9 }),
    1,
  );
  db.close();
  const before = await readFile(dbPath);

  const storage = createMemoryStorage();
  await importOpenClawSqliteState({ storage, stateDir, logger });

  const state = createChannelAccountStateStore(storage);
  expect(await state("telegram", "default").get("telegram.update-offset")).toEqual({
    lastUpdateId: 815,
    botId: 4242,
  });
  expect(await state("telegram", "old").get("telegram.update-offset")).toBeUndefined();
  expect((await readFile(dbPath)).equals(before)).toBe(true);
});

it("takes an older OpenClaw's telegram/update-offset-<account>.json once, never over a newer value", async () => {
  await mkdir(join(stateDir, "telegram"), { recursive: true });
  await writeFile(
    join(stateDir, "telegram", "update-offset-work.json"),
    JSON.stringify({ version: 2, lastUpdateId: 77, botId: "99" }),
  );
  const storage = createMemoryStorage();
  const state = createChannelAccountStateStore(storage)("telegram", "work");
  const warn = () => undefined;
  await importLegacyTelegramOffsets(storage, stateDir, warn);
  expect(await state.get("telegram.update-offset")).toEqual({ lastUpdateId: 77, botId: 99 });

  // The adapter moves on; a later start must not put the old offset back.
  await state.set("telegram.update-offset", { lastUpdateId: 80, botId: 99 });
  await importLegacyTelegramOffsets(storage, stateDir, warn);
  expect(await state.get("telegram.update-offset")).toEqual({ lastUpdateId: 80, botId: 99 });
});
