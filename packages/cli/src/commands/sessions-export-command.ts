import { mkdir, readdir } from "node:fs/promises";
import { resolve } from "node:path";
import { CliError } from "../cli-error.js";
import { type Output, printJson } from "../output.js";

export interface SessionsExportOptions {
  out?: string;
  json?: boolean;
}

/** An export never mixes with other files: the folder must be new or empty. */
async function assertEmptyFolder(dir: string): Promise<void> {
  try {
    const entries = await readdir(dir);
    if (entries.length > 0) {
      throw new CliError(`${dir} is not empty: pass --out with a new or empty folder`, 2);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    if (error instanceof CliError) throw error;
    throw new CliError(`cannot use ${dir} for the export: ${(error as Error).message}`, 1);
  }
}

/**
 * `openclaw sessions export --out <dir>`: every session and transcript of this state dir's storage (SQLite,
 * PostgreSQL or the legacy files) written in OpenClaw's file layout (`agents/<id>/sessions/sessions.json` + one
 * JSONL transcript per session in OpenClaw's line format, tool calls included). OpenClaw imports it with
 * `openclaw doctor --fix` (its upgrade path for this layout); `storage.driver: "file"` and our first-start import
 * read it back entry for entry. Offline: it opens the storage itself, so the gateway does not need to run (and may).
 */
export async function runSessionsExport(options: SessionsExportOptions, output: Output): Promise<number> {
  const out = resolve(options.out ?? `openclaw-sessions-${new Date().toISOString().slice(0, 10)}`);
  await assertEmptyFolder(out);
  const [{ openGatewayStorage }, { exportOpenClawLayout }] = await Promise.all([
    import("@openclaw/gateway"),
    import("@openclaw/sessions"),
  ]);
  await mkdir(out, { recursive: true });
  const handle = await openGatewayStorage();
  try {
    if (!options.json) output.err(`exporting sessions from ${handle.driver} (${handle.location}) ...`);
    const result = await exportOpenClawLayout({ storage: handle.storage, dir: out });
    if (options.json) {
      printJson(output, { out, driver: handle.driver, location: handle.location, ...result });
    } else {
      output.out(
        `exported ${result.sessions} session(s) of ${result.agents} agent(s), ${result.entries} transcript line(s), to ${out}`,
      );
      if (result.sessions > 0) {
        output.out(
          `OpenClaw reads it after \`OPENCLAW_STATE_DIR=${out} openclaw doctor --fix\` (its import of this layout)`,
        );
      }
      for (const skipped of result.skipped) output.err(`skipped ${skipped.key}: ${skipped.reason}`);
    }
    return result.skipped.length > 0 ? 1 : 0;
  } finally {
    await handle.close();
  }
}
