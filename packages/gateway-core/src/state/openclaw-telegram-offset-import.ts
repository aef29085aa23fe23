import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { OpenClawDatabase } from "@openclaw/sessions";
import { z } from "zod";
import { CHANNEL_STATE_TABLE, channelStateRowKey } from "../channels/channel-account-state-store.js";
import { importOnce, type StateTables } from "./table-mirror.js";

/** The `ctx.state` key the Telegram adapter resumes from (see channel-telegram's telegram-update-offset.ts). */
const TELEGRAM_OFFSET_STATE_KEY = "telegram.update-offset";
const OPENCLAW_OFFSET_NAMESPACE = "telegram.update-offsets";
const MAX_OFFSET_FILE_BYTES = 4_096;

/**
 * OpenClaw's stored offset (versions 1-3 of its update-offset store). Only an entry that names its bot can be
 * trusted: OpenClaw itself discards one without a bot id when it starts, so do we.
 */
const OpenClawOffsetSchema = z.object({
  version: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  lastUpdateId: z.int().min(0).nullable(),
  botId: z
    .string()
    .regex(/^\d{1,20}$/)
    .nullish(),
});

export interface TelegramOffsetImport {
  imported: number;
  skipped: Array<{ table: string; key: string; reason: string }>;
}

async function importOne(
  storage: StateTables,
  accountId: string,
  raw: unknown,
  source: string,
  result: TelegramOffsetImport,
): Promise<void> {
  const parsed = OpenClawOffsetSchema.safeParse(raw);
  if (!parsed.success || parsed.data.lastUpdateId === null || !parsed.data.botId) {
    result.skipped.push({ table: source, key: accountId, reason: "no update id with its bot id" });
    return;
  }
  const table = storage.table(CHANNEL_STATE_TABLE);
  const key = channelStateRowKey("telegram", accountId, TELEGRAM_OFFSET_STATE_KEY);
  // A value this gateway wrote already is newer than anything OpenClaw left.
  if (await table.get(key)) return;
  await table.put(key, { lastUpdateId: parsed.data.lastUpdateId, botId: Number(parsed.data.botId) }, 0);
  result.imported += 1;
}

/** OpenClaw 2026.9's offsets: `plugin_state_entries` of the telegram plugin, one row per account. */
export async function importTelegramOffsetRows(
  db: OpenClawDatabase,
  storage: StateTables,
  result: TelegramOffsetImport,
): Promise<void> {
  const rows = db.rows(
    "SELECT entry_key, value_json FROM plugin_state_entries WHERE plugin_id = 'telegram' AND namespace = ?",
    [OPENCLAW_OFFSET_NAMESPACE],
    ["plugin_state_entries"],
  );
  for (const row of rows) {
    let value: unknown;
    try {
      value = JSON.parse(String(row.value_json));
    } catch {
      value = undefined;
    }
    await importOne(storage, String(row.entry_key), value, "plugin_state_entries", result);
  }
}

/** Older OpenClaw releases: `telegram/update-offset-<accountId>.json` in the state directory. */
export async function importTelegramOffsetFiles(
  stateDir: string,
  storage: StateTables,
  result: TelegramOffsetImport,
): Promise<void> {
  const dir = join(stateDir, "telegram");
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const match = /^update-offset-(.{1,64})\.json$/.exec(name);
    if (!match?.[1]) continue;
    let value: unknown;
    try {
      const text = await readFile(join(dir, name), "utf8");
      value = text.length <= MAX_OFFSET_FILE_BYTES ? JSON.parse(text) : undefined;
    } catch {
      value = undefined;
    }
    await importOne(storage, match[1], value, `telegram/${name}`, result);
  }
}

/** The older file layout's offsets, once (a marker row in `state.imports`); skipped entries are logged. */
export async function importLegacyTelegramOffsets(
  storage: StateTables,
  stateDir: string,
  warn: (message: string, fields: Record<string, unknown>) => void,
): Promise<void> {
  await importOnce(storage, "telegram-offsets", async () => {
    const result: TelegramOffsetImport = { imported: 0, skipped: [] };
    await importTelegramOffsetFiles(stateDir, storage, result);
    for (const item of result.skipped) warn("OpenClaw Telegram offset not imported", item);
    return { source: join(stateDir, "telegram"), rows: result.imported };
  });
}
