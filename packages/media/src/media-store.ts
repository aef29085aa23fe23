import { createHash, randomUUID } from "node:crypto";
import { mkdir, open, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { MediaError } from "./media-error.js";
import { type MediaKind, MediaKindSchema } from "./media-kind.js";
import { sniffMedia } from "./sniff-media.js";

export type MediaDirection = "inbound" | "outbound";

export interface StoredMedia {
  id: string;
  /** Absolute path of the file: `<rootDir>/<direction>/<id>.<ext>`. */
  path: string;
  kind: MediaKind;
  /** Sniffed from the content. */
  mimeType: string;
  sizeBytes: number;
  fileName?: string;
  sha256: string;
  savedAt: number;
  direction: MediaDirection;
}

export interface SaveMediaMeta {
  direction: MediaDirection;
  /** The platform's kind (voice, sticker); the content decides the rest. */
  kind?: MediaKind;
  /** The sender's claim: only names a text format; the content is sniffed. */
  mimeType?: string;
  fileName?: string;
}

export interface MediaStoreOptions {
  rootDir: string;
  /** Files older than this are removed by `sweep()`. Default 7 days. */
  maxAgeMs?: number;
  /** When the files together are larger, the oldest are removed until they fit. Default 1 GiB. */
  maxTotalBytes?: number;
  now?: () => number;
  /** A periodic sweep that failed; without it the failure is dropped and the next sweep tries again. */
  onSweepError?: (error: unknown) => void;
}

export interface MediaStore {
  readonly rootDir: string;
  save(bytes: Uint8Array, meta: SaveMediaMeta): Promise<StoredMedia>;
  get(id: string): Promise<StoredMedia | undefined>;
  /** Removes files past the age limit, then the oldest until the total fits. */
  sweep(): Promise<{ removed: number; freedBytes: number }>;
  /** Sweeps now and then every `intervalMs` (default one hour) on a timer that does not keep the process alive. */
  startSweeping(intervalMs?: number): () => void;
}

export const DEFAULT_MEDIA_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;
export const DEFAULT_MEDIA_MAX_TOTAL_BYTES = 1024 * 1024 * 1024;
const DEFAULT_SWEEP_INTERVAL_MS = 60 * 60 * 1000;
const DIRECTIONS: readonly MediaDirection[] = ["inbound", "outbound"];
const ID_PATTERN = /^[a-f0-9-]{36}$/;
const META_SUFFIX = ".meta.json";
/** A temp file this old was left by a crash mid-write. */
const STALE_TEMP_MS = 60 * 60 * 1000;

const StoredMediaSchema = z.object({
  id: z.string().regex(ID_PATTERN),
  kind: MediaKindSchema,
  mimeType: z.string().min(1),
  extension: z.string().regex(/^[a-z0-9]{1,10}$/),
  sizeBytes: z.int().min(0),
  fileName: z.string().optional(),
  sha256: z.string().regex(/^[a-f0-9]{64}$/),
  savedAt: z.number(),
  direction: z.enum(["inbound", "outbound"]),
});
type MetaRecord = z.infer<typeof StoredMediaSchema>;

/**
 * The gateway's media files on disk, one folder per direction, each file beside its metadata. Files are written
 * to a temp name with mode 0600 and renamed into place, so a reader never sees half a file.
 */
export function createMediaStore(options: MediaStoreOptions): MediaStore {
  const rootDir = path.resolve(options.rootDir);
  const now = options.now ?? Date.now;
  const maxAgeMs = options.maxAgeMs ?? DEFAULT_MEDIA_MAX_AGE_MS;
  const maxTotalBytes = options.maxTotalBytes ?? DEFAULT_MEDIA_MAX_TOTAL_BYTES;
  const dirOf = (direction: MediaDirection) => path.join(rootDir, direction);
  const toStored = (record: MetaRecord): StoredMedia => {
    const { extension, ...rest } = record;
    return { ...rest, path: path.join(dirOf(record.direction), `${record.id}.${extension}`) };
  };

  let sweeping: Promise<{ removed: number; freedBytes: number }> | undefined;

  async function listRecords(): Promise<MetaRecord[]> {
    const records: MetaRecord[] = [];
    for (const direction of DIRECTIONS) {
      for (const name of await listDir(dirOf(direction))) {
        if (!name.endsWith(META_SUFFIX)) continue;
        const record = await readRecord(path.join(dirOf(direction), name));
        if (record) records.push(record);
      }
    }
    return records;
  }

  async function remove(record: MetaRecord): Promise<void> {
    const stored = toStored(record);
    await rm(stored.path, { force: true });
    await rm(metaPathOf(dirOf(record.direction), record.id), { force: true });
  }

  async function removeLeftovers(known: Set<string>): Promise<number> {
    let freed = 0;
    for (const direction of DIRECTIONS) {
      const dir = dirOf(direction);
      for (const name of await listDir(dir)) {
        const id = name.split(".")[0] ?? "";
        const isTemp = name.startsWith(".");
        if (!isTemp && known.has(id)) continue;
        const info = await stat(path.join(dir, name)).catch(() => undefined);
        if (!info || now() - info.mtimeMs < STALE_TEMP_MS) continue;
        await rm(path.join(dir, name), { force: true });
        freed += info.size;
      }
    }
    return freed;
  }

  async function runSweep(): Promise<{ removed: number; freedBytes: number }> {
    const records = (await listRecords()).sort((a, b) => a.savedAt - b.savedAt);
    let removed = 0;
    let freedBytes = 0;
    let total = records.reduce((sum, record) => sum + record.sizeBytes, 0);
    const kept = new Set<string>();
    for (const record of records) {
      const tooOld = now() - record.savedAt > maxAgeMs;
      if (tooOld || total > maxTotalBytes) {
        await remove(record);
        removed += 1;
        freedBytes += record.sizeBytes;
        total -= record.sizeBytes;
      } else {
        kept.add(record.id);
      }
    }
    freedBytes += await removeLeftovers(kept);
    return { removed, freedBytes };
  }

  const store: MediaStore = {
    rootDir,
    async save(bytes, meta) {
      const sniffed = await sniffMedia(bytes, meta);
      const id = randomUUID();
      const dir = dirOf(meta.direction);
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const record: MetaRecord = {
        id,
        kind: sniffed.kind,
        mimeType: sniffed.mimeType,
        extension: sniffed.extension,
        sizeBytes: bytes.byteLength,
        ...(meta.fileName === undefined ? {} : { fileName: meta.fileName }),
        sha256: createHash("sha256").update(bytes).digest("hex"),
        savedAt: now(),
        direction: meta.direction,
      };
      const stored = toStored(record);
      await writeAtomically(stored.path, bytes);
      await writeAtomically(metaPathOf(dir, id), new TextEncoder().encode(JSON.stringify(record)));
      return stored;
    },
    async get(id) {
      if (!ID_PATTERN.test(id)) throw new MediaError("MEDIA_ID_INVALID", `"${id}" is not a media id`);
      for (const direction of DIRECTIONS) {
        const record = await readRecord(metaPathOf(dirOf(direction), id));
        if (record) return toStored(record);
      }
      return undefined;
    },
    sweep() {
      // Two overlapping sweeps would count the same files twice.
      sweeping ??= runSweep().finally(() => {
        sweeping = undefined;
      });
      return sweeping;
    },
    startSweeping(intervalMs = DEFAULT_SWEEP_INTERVAL_MS) {
      const sweepQuietly = () => {
        store.sweep().catch((error: unknown) => options.onSweepError?.(error));
      };
      const first = setTimeout(sweepQuietly, 0);
      const timer = setInterval(sweepQuietly, intervalMs);
      first.unref();
      timer.unref();
      return () => {
        clearTimeout(first);
        clearInterval(timer);
      };
    },
  };
  return store;
}

function metaPathOf(dir: string, id: string): string {
  return path.join(dir, `${id}${META_SUFFIX}`);
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

async function readRecord(file: string): Promise<MetaRecord | undefined> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    const parsed = StoredMediaSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

async function writeAtomically(file: string, bytes: Uint8Array): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomUUID()}.tmp`);
  const handle = await open(temp, "wx", 0o600);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
