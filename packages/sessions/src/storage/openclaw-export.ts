import { type FileHandle, open, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { agentSessionsDir, INDEX_FILE_NAME } from "../agent-session-index.js";
import {
  ensureDirectoryDurable,
  fsyncDirectory,
  temporarySiblingPath,
  writeFileAtomic,
} from "../durable-file.js";
import { normalizeAgentId } from "../session-key.js";
import { openClawTranscriptLines } from "./openclaw-transcript-lines.js";
import type { SessionStorage, StoredSession } from "./storage-port.js";

export interface OpenClawExportOptions {
  storage: SessionStorage;
  /** Where `agents/<agentId>/sessions/` goes (a state directory, or an empty folder to hand over). */
  dir: string;
  /** Sessions read per storage call (default 500). */
  pageSize?: number;
}

export interface OpenClawExportResult {
  agents: number;
  sessions: number;
  transcripts: number;
  entries: number;
  skipped: Array<{ key: string; reason: string }>;
}

const DEFAULT_PAGE_SIZE = 500;

/**
 * Writes every session of `storage` in OpenClaw's file layout: `agents/<agentId>/sessions/sessions.json` (a map
 * key -> entry) and one `<sessionId>.jsonl` per session in OpenClaw's line format (the session header, then message
 * lines with content blocks, tool calls as `toolCall` blocks and `toolResult` messages), which OpenClaw imports
 * (`openclaw doctor --fix`, or `--session-sqlite import`) and our first-start import reads back entry for entry. Every file is written atomically (temp file, fsync, rename),
 * so a crash leaves each file either as it was or complete. Existing files of the same names are replaced.
 * Transcripts of earlier sessionIds (kept by a reset) are not named by any session and are not exported.
 */
export async function exportOpenClawLayout(o: OpenClawExportOptions): Promise<OpenClawExportResult> {
  const result: OpenClawExportResult = { agents: 0, sessions: 0, transcripts: 0, entries: 0, skipped: [] };
  const indexes = new Map<string, IndexWriter>();
  const pageSize = o.pageSize ?? DEFAULT_PAGE_SIZE;
  try {
    for (let offset = 0; ; offset += pageSize) {
      const { sessions } = await o.storage.listSessions({
        archived: "all",
        excludeKinds: [],
        limit: pageSize,
        offset,
      });
      for (const session of sessions) {
        if (normalizeAgentId(session.agentId) !== session.agentId) {
          result.skipped.push({
            key: session.key,
            reason: `agent id "${session.agentId}" is not a safe folder name`,
          });
          continue;
        }
        let index = indexes.get(session.agentId);
        if (!index) {
          index = await IndexWriter.open(join(agentSessionsDir(o.dir, session.agentId), INDEX_FILE_NAME));
          indexes.set(session.agentId, index);
        }
        result.entries += await writeTranscript(o.storage, index.dir, session);
        result.transcripts += 1;
        await index.add(session);
        result.sessions += 1;
      }
      if (sessions.length < pageSize) break;
    }
    for (const index of indexes.values()) await index.commit();
  } finally {
    for (const index of indexes.values()) await index.abandon();
  }
  result.agents = indexes.size;
  return result;
}

async function writeTranscript(
  storage: SessionStorage,
  dir: string,
  session: StoredSession,
): Promise<number> {
  const { entry } = session;
  const entries = await storage.readTranscript(entry.sessionId);
  const startedAt = entry.sessionStartedAt ?? entry.createdAt ?? entry.updatedAt;
  const lines = openClawTranscriptLines({ sessionId: entry.sessionId, key: session.key, startedAt }, entries);
  const body = lines.map((line) => `${JSON.stringify(line)}\n`).join("");
  await writeFileAtomic(join(dir, `${entry.sessionId}.jsonl`), body);
  return entries.length;
}

/** One agent's `sessions.json`, streamed into a temp file and renamed over the real one on commit. */
class IndexWriter {
  private count = 0;
  private done = false;

  private constructor(
    readonly path: string,
    readonly dir: string,
    private readonly temporary: string,
    private readonly handle: FileHandle,
  ) {}

  static async open(path: string): Promise<IndexWriter> {
    const dir = dirname(path);
    await ensureDirectoryDurable(dir);
    const temporary = temporarySiblingPath(path);
    const handle = await open(temporary, "wx", 0o600);
    await handle.write("{");
    return new IndexWriter(path, dir, temporary, handle);
  }

  async add(session: StoredSession): Promise<void> {
    const pair = `${JSON.stringify(session.key)}:${JSON.stringify(session.entry)}`;
    await this.handle.write(this.count === 0 ? pair : `,${pair}`);
    this.count += 1;
  }

  async commit(): Promise<void> {
    await this.handle.write("}\n");
    await this.handle.sync();
    await this.handle.close();
    await rename(this.temporary, this.path);
    await fsyncDirectory(this.dir);
    this.done = true;
  }

  /** After a failure: the temp file goes, the previous `sessions.json` (if any) stays. */
  async abandon(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.handle.close().catch(() => undefined);
    await rm(this.temporary, { force: true });
  }
}
