import { readFile, rename } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { type Logger, silentLogger } from "../../logging/logger.js";
import { writeFileAtomic } from "../../state/atomic-file.js";

/** One spawned sub-agent session: who spawned it, how deep it sits, and how its run ended. */
const SubagentRecordSchema = z.object({
  childKey: z.string().min(1),
  parentKey: z.string().min(1),
  agentId: z.string().min(1),
  depth: z.int().min(1),
  runId: z.string().min(1),
  label: z.string().optional(),
  createdAt: z.number(),
  endedAt: z.number().optional(),
  status: z.enum(["ok", "error", "aborted"]).optional(),
});
export type SubagentRecord = z.infer<typeof SubagentRecordSchema>;

const RegistryFileSchema = z.object({ version: z.literal(1), records: z.array(z.unknown()) });

/** Records kept at most; the oldest finished ones go first, so lineage of recent work survives. */
export const MAX_SUBAGENT_RECORDS = 5_000;

/**
 * The lineage of sub-agent sessions, `<stateDir>/subagents/runs.json`: the session tools' `tree` visibility and the
 * spawn depth limit read it, so it must outlive a restart. Written atomically, one write at a time.
 */
export class SubagentRegistry {
  readonly path: string;
  readonly #records = new Map<string, SubagentRecord>();
  readonly #logger: Logger;
  #writing: Promise<void> = Promise.resolve();

  private constructor(stateDir: string, logger: Logger) {
    this.path = join(stateDir, "subagents", "runs.json");
    this.#logger = logger;
  }

  static async open(stateDir: string, logger: Logger = silentLogger): Promise<SubagentRegistry> {
    const registry = new SubagentRegistry(stateDir, logger);
    await registry.#load();
    return registry;
  }

  get(childKey: string): SubagentRecord | undefined {
    return this.#records.get(childKey);
  }

  /** 0 for a session no spawn created. */
  depthOf(sessionKey: string): number {
    return this.#records.get(sessionKey)?.depth ?? 0;
  }

  async add(record: SubagentRecord): Promise<void> {
    this.#records.set(record.childKey, record);
    this.#prune();
    await this.#save();
  }

  async finish(
    childKey: string,
    outcome: { status: SubagentRecord["status"]; endedAt: number },
  ): Promise<void> {
    const record = this.#records.get(childKey);
    if (!record) return;
    this.#records.set(childKey, { ...record, ...outcome });
    await this.#save();
  }

  #prune(): void {
    if (this.#records.size <= MAX_SUBAGENT_RECORDS) return;
    const finished = [...this.#records.values()]
      .filter((record) => record.endedAt !== undefined)
      .sort((a, b) => (a.endedAt ?? 0) - (b.endedAt ?? 0));
    for (const record of finished) {
      if (this.#records.size <= MAX_SUBAGENT_RECORDS) break;
      this.#records.delete(record.childKey);
    }
  }

  #save(): Promise<void> {
    const text = `${JSON.stringify({ version: 1, records: [...this.#records.values()] }, null, 2)}\n`;
    const write = this.#writing.then(() => writeFileAtomic(this.path, text));
    this.#writing = write.catch(() => undefined);
    return write;
  }

  async #load(): Promise<void> {
    let raw: string;
    try {
      raw = await readFile(this.path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
      throw error;
    }
    const file = RegistryFileSchema.safeParse(safeJson(raw));
    if (!file.success) {
      // Written atomically, so this is a hand edit gone wrong: keep it aside and start without lineage.
      const aside = `${this.path}.corrupt-${Date.now()}`;
      await rename(this.path, aside);
      this.#logger.error(
        "sub-agent registry unreadable; moved aside, spawned sessions lose their parent links",
        {
          path: aside,
        },
      );
      return;
    }
    for (const entry of file.data.records) {
      const record = SubagentRecordSchema.safeParse(entry);
      if (record.success) this.#records.set(record.data.childKey, record.data);
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
