import { readFile } from "node:fs/promises";
import { join } from "node:path";

export const HEARTBEAT_FILE_NAME = "HEARTBEAT.md";
const MAX_HEARTBEAT_FILE_BYTES = 256 * 1024;

/** The sentence earlier workspace templates put in HEARTBEAT.md; a file holding only it is a blank checklist. */
const TEMPLATE_HINTS = new Set(["Short checklist for periodic check-ins. Leave it empty to skip them."]);

/**
 * Whether a checklist holds nothing to do: only blank lines, comments, headings, fence markers, empty list or
 * checklist stubs, or the template's hint. OpenClaw skips the model call for such a file.
 */
export function isEffectivelyEmpty(content: string): boolean {
  const withoutComments = content.replace(/<!--[\s\S]*?-->/g, "");
  return withoutComments.split(/\r?\n/).every((raw) => {
    const line = raw.trim();
    return (
      line === "" ||
      line.startsWith("#") ||
      line.startsWith("```") ||
      line.startsWith("~~~") ||
      /^([-*+]|\d+\.)(\s+\[[ xX]?\])?\s*$/.test(line) ||
      TEMPLATE_HINTS.has(line)
    );
  });
}

export type HeartbeatFile = { state: "missing" } | { state: "empty" } | { state: "present"; content: string };

/** Reads the agent's `HEARTBEAT.md` (bounded); a missing file lets the heartbeat run and the model decide. */
export async function readHeartbeatFile(workspaceDir: string): Promise<HeartbeatFile> {
  let content: string;
  try {
    const bytes = await readFile(join(workspaceDir, HEARTBEAT_FILE_NAME));
    content = bytes.subarray(0, MAX_HEARTBEAT_FILE_BYTES).toString("utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { state: "missing" };
    throw error;
  }
  return isEffectivelyEmpty(content) ? { state: "empty" } : { state: "present", content };
}
