import { copyFile, mkdir, readdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "../logging/logger.js";

/** Written once the flat files were copied, so a later logout (which removes the account folder) stays a logout. */
export const WHATSAPP_AUTH_IMPORT_MARKER = ".openclaw-flat-auth-imported";
const DEFAULT_ACCOUNT = "default";

/**
 * Older OpenClaw kept one WhatsApp account's linked-device state (Baileys) flat in `credentials/`: `creds.json` and
 * its `app-state-sync-*`, `session-*`, `sender-key-*`, `pre-key-*` files, beside other credentials (pairing
 * files, `oauth.json`). Today both OpenClaw and this gateway keep it in `credentials/whatsapp/<accountId>/`.
 */
export function isFlatWhatsAppAuthFile(name: string): boolean {
  if (name === "creds.json" || name === "creds.json.bak") return true;
  return name.endsWith(".json") && /^(app-state-sync|session|sender-key|pre-key)-/.test(name);
}

/**
 * Copies that flat linked-device state into `credentials/whatsapp/default/`, where the WhatsApp channel reads it,
 * once: only when the account folder has no `creds.json` yet, and never again after the marker is written. The flat
 * files are copied, not moved, so OpenClaw's layout stays as it was. Returns how many files were copied.
 */
export async function importFlatWhatsAppAuth(o: { stateDir: string; logger: Logger }): Promise<number> {
  const credentials = join(o.stateDir, "credentials");
  const whatsapp = join(credentials, "whatsapp");
  const target = join(whatsapp, DEFAULT_ACCOUNT);
  if (await exists(join(whatsapp, WHATSAPP_AUTH_IMPORT_MARKER))) return 0;
  let names: string[];
  try {
    names = (await readdir(credentials, { withFileTypes: true }))
      .filter((entry) => entry.isFile() && isFlatWhatsAppAuthFile(entry.name))
      .map((entry) => entry.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return 0;
    throw error;
  }
  if (!names.includes("creds.json") || (await exists(join(target, "creds.json")))) return 0;
  await mkdir(target, { recursive: true, mode: 0o700 });
  for (const name of names) await copyFile(join(credentials, name), join(target, name));
  await writeFile(
    join(whatsapp, WHATSAPP_AUTH_IMPORT_MARKER),
    `${JSON.stringify({ importedAt: new Date().toISOString(), files: names.length })}\n`,
    { mode: 0o600 },
  );
  o.logger.info(
    "OpenClaw's WhatsApp linked-device state copied into the default account's folder (originals kept)",
    {
      from: credentials,
      to: target,
      files: names.length,
    },
  );
  return names.length;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}
