import { z } from "zod";
import {
  importOnce,
  type MirrorWarnings,
  type StateTables,
  TableMirror,
  tableKey,
} from "../state/table-mirror.js";
import { PairingError } from "./channel-error.js";
import {
  type ApprovedSender,
  assertPairingChannel,
  createPairingStore,
  DEFAULT_PAIRING_TTL_MS,
  generatePairingCode,
  legacyPairingChannels,
  MAX_PENDING_PAIRING_REQUESTS,
  type PairingRequest,
  type PairingStore,
} from "./pairing-store.js";

export const PAIRING_REQUESTS_TABLE = "pairing.requests";
export const PAIRING_ALLOW_TABLE = "pairing.allow";
const DEFAULT_ACCOUNT = "default";

const RequestRowSchema = z.object({
  channel: z.string().min(1),
  accountId: z.string(),
  senderId: z.string(),
  senderName: z.string().optional(),
  code: z.string().min(1),
  createdAt: z.number(),
  lastSeenAt: z.number(),
});
type RequestRow = z.infer<typeof RequestRowSchema>;

const AllowRowSchema = z.object({
  channel: z.string().min(1),
  accountId: z.string(),
  senderId: z.string(),
  approvedAt: z.number(),
});
type AllowRow = z.infer<typeof AllowRowSchema>;

/** A store kept in storage tables: `flush()` waits until every change so far is durable. */
export interface TablePairingStore extends PairingStore {
  flush(): Promise<void>;
  /** Takes in approvals and requests another process wrote to the same tables. */
  refresh(): Promise<void>;
}

export interface TablePairingStoreOptions {
  storage: StateTables;
  /** Where OpenClaw's `credentials/*-pairing.json` and `*-allowFrom.json` are imported from, once. */
  stateDir?: string;
  now?: () => number;
  ttlMs?: number;
  logger?: MirrorWarnings;
}

/**
 * DM pairing kept in the `pairing.requests` (one row per pending code) and `pairing.allow` (one row per approved
 * sender) tables, with the file store's rules: codes live `ttlMs`, at most three pending per channel account, the
 * same pending sender gets its code back. On first open the legacy credentials files are imported (and kept).
 */
export async function openTablePairingStore(o: TablePairingStoreOptions): Promise<TablePairingStore> {
  const now = o.now ?? Date.now;
  const ttlMs = o.ttlMs ?? DEFAULT_PAIRING_TTL_MS;
  const stateDir = o.stateDir;
  if (stateDir !== undefined) {
    await importOnce(o.storage, "pairing", () => importPairingFiles(o.storage, stateDir, now, ttlMs));
  }
  const requests = await TableMirror.open(o.storage, PAIRING_REQUESTS_TABLE, RequestRowSchema, o.logger);
  const allow = await TableMirror.open(o.storage, PAIRING_ALLOW_TABLE, AllowRowSchema, o.logger);

  const isLive = (row: RequestRow, at: number) => row.createdAt + ttlMs > at;
  const requestKey = (channel: string, code: string) => tableKey(channel, code);
  const allowKey = (channel: string, accountId: string, senderId: string) =>
    tableKey(channel, accountId, senderId);

  /** The channel's live requests, oldest first. */
  const liveRequests = (channel: string, at: number): RequestRow[] =>
    requests
      .values(`${channel}/`)
      .filter((row) => row.channel === channel && isLive(row, at))
      .sort(byCreatedAt);

  /** Deletes the channel's expired requests; like the file store, only a write (request, approve, reject) does. */
  const pruneExpired = (channel: string, at: number): void => {
    for (const row of requests.values(`${channel}/`)) {
      if (row.channel === channel && !isLive(row, at)) requests.delete(requestKey(channel, row.code));
    }
  };

  const toRequest = (row: RequestRow): PairingRequest => {
    const out: PairingRequest = {
      channel: row.channel,
      accountId: row.accountId,
      senderId: row.senderId,
      code: row.code,
      createdAt: row.createdAt,
      lastSeenAt: row.lastSeenAt,
      expiresAt: row.createdAt + ttlMs,
    };
    if (row.senderName) out.senderName = row.senderName;
    return out;
  };

  /** Removes the request for `code`, failing with the reason a person can act on. */
  const takeRequest = (channel: string, code: string): RequestRow => {
    assertPairingChannel(channel);
    const wanted = code.trim().toUpperCase();
    const at = now();
    const row = requests.get(requestKey(channel, wanted));
    if (!row) {
      throw new PairingError(
        "PAIRING_CODE_UNKNOWN",
        `no pending ${channel} pairing request has code ${wanted}: run \`openclaw pairing list ${channel}\` to see the pending codes`,
      );
    }
    pruneExpired(channel, at);
    if (!isLive(row, at)) {
      throw new PairingError(
        "PAIRING_CODE_EXPIRED",
        `${channel} pairing code ${wanted} has expired: ask the sender to message the bot again for a new code`,
      );
    }
    requests.delete(requestKey(channel, wanted));
    return row;
  };

  return {
    request(req) {
      assertPairingChannel(req.channel);
      const at = now();
      const accountId = req.accountId || DEFAULT_ACCOUNT;
      pruneExpired(req.channel, at);
      const live = liveRequests(req.channel, at);
      const existing = live.find((row) => row.senderId === req.senderId && row.accountId === accountId);
      if (existing) {
        requests.set(requestKey(req.channel, existing.code), { ...existing, lastSeenAt: at });
        return { code: existing.code, created: false };
      }
      if (live.filter((row) => row.accountId === accountId).length >= MAX_PENDING_PAIRING_REQUESTS) {
        return { code: undefined, created: false };
      }
      const taken = new Set(live.map((row) => row.code));
      let code = generatePairingCode();
      while (taken.has(code)) code = generatePairingCode();
      const row: RequestRow = {
        channel: req.channel,
        accountId,
        senderId: req.senderId,
        code,
        createdAt: at,
        lastSeenAt: at,
      };
      if (req.senderName) row.senderName = req.senderName;
      requests.set(requestKey(req.channel, code), row);
      return { code, created: true };
    },

    list(channel) {
      if (channel !== undefined) assertPairingChannel(channel);
      const at = now();
      const channels =
        channel === undefined ? [...new Set(requests.values().map((row) => row.channel))].sort() : [channel];
      return channels.flatMap((id) => liveRequests(id, at).map(toRequest));
    },

    approve(channel, code) {
      const row = takeRequest(channel, code);
      const key = allowKey(channel, row.accountId, row.senderId);
      if (!allow.get(key)) {
        allow.set(key, { channel, accountId: row.accountId, senderId: row.senderId, approvedAt: now() });
      }
      return { accountId: row.accountId, senderId: row.senderId };
    },

    reject(channel, code) {
      const row = takeRequest(channel, code);
      return { accountId: row.accountId, senderId: row.senderId };
    },

    isApproved(channel, accountId, senderId) {
      assertPairingChannel(channel);
      return allow.get(allowKey(channel, accountId || DEFAULT_ACCOUNT, senderId)) !== undefined;
    },

    approvedSenders(channel) {
      assertPairingChannel(channel);
      return allow
        .values(`${channel}/`)
        .filter((row) => row.channel === channel)
        .sort(byAccountThenApproval)
        .map((row): ApprovedSender => ({ accountId: row.accountId, senderId: row.senderId }));
    },

    async flush() {
      await requests.flush();
      await allow.flush();
    },

    async refresh() {
      await requests.refresh();
      await allow.refresh();
    },
  };
}

function byCreatedAt(a: RequestRow, b: RequestRow): number {
  return a.createdAt - b.createdAt || a.code.localeCompare(b.code);
}

function byAccountThenApproval(a: AllowRow, b: AllowRow): number {
  if (a.accountId !== b.accountId) {
    // The default account first, as its file (`<channel>-allowFrom.json`) sorts before the others.
    if (a.accountId === DEFAULT_ACCOUNT) return -1;
    if (b.accountId === DEFAULT_ACCOUNT) return 1;
    return a.accountId < b.accountId ? -1 : 1;
  }
  return a.approvedAt - b.approvedAt;
}

/** Copies the live requests and every approval of the credentials files into the tables. */
async function importPairingFiles(
  storage: StateTables,
  stateDir: string,
  now: () => number,
  ttlMs: number,
): Promise<{ source: string; rows: number }> {
  const files = createPairingStore({ stateDir, now, ttlMs });
  const requests = storage.table<RequestRow>(PAIRING_REQUESTS_TABLE);
  const allow = storage.table<AllowRow>(PAIRING_ALLOW_TABLE);
  const at = now();
  let rows = 0;
  for (const channel of legacyPairingChannels(stateDir)) {
    for (const request of files.list(channel)) {
      const row: RequestRow = {
        channel,
        accountId: request.accountId,
        senderId: request.senderId,
        code: request.code,
        createdAt: request.createdAt,
        lastSeenAt: request.lastSeenAt,
      };
      if (request.senderName) row.senderName = request.senderName;
      await requests.put(tableKey(channel, request.code), row);
      rows += 1;
    }
    // The files keep no approval time: an imported approval counts as made at the import.
    for (const sender of files.approvedSenders(channel)) {
      const row: AllowRow = { channel, ...sender, approvedAt: at };
      await allow.put(tableKey(channel, sender.accountId, sender.senderId), row);
      rows += 1;
    }
  }
  return { source: `${stateDir}/credentials`, rows };
}
