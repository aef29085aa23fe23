import { randomInt } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeJsonFileAtomic } from "../state/atomic-file.js";
import { PairingError } from "./channel-error.js";

export const DEFAULT_PAIRING_TTL_MS = 3_600_000;
/** OpenClaw caps pending DM pairing requests per channel account; later senders are ignored until one clears. */
export const MAX_PENDING_PAIRING_REQUESTS = 3;
// No 0, O, 1 or I: a code is read off a phone screen and typed into a terminal.
const CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const CODE_LENGTH = 8;
const DEFAULT_ACCOUNT = "default";
const CHANNEL_ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const PAIRING_SUFFIX = "-pairing.json";
const ALLOW_FROM_SUFFIX = "-allowFrom.json";

export interface PairingRequest {
  channel: string;
  accountId: string;
  senderId: string;
  senderName?: string;
  code: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
}

export interface ApprovedSender {
  accountId: string;
  senderId: string;
}

export interface PairingStore {
  /** Records a pending request; the same pending sender gets its code back with `created: false`. */
  request(o: { channel: string; accountId: string; senderId: string; senderName?: string }): {
    code: string | undefined;
    created: boolean;
  };
  list(channel?: string): PairingRequest[];
  /** Moves the sender to the account's allow list. Throws `PAIRING_CODE_UNKNOWN` / `PAIRING_CODE_EXPIRED`. */
  approve(channel: string, code: string): ApprovedSender;
  /** Drops a pending request without approving it. Throws `PAIRING_CODE_UNKNOWN` / `PAIRING_CODE_EXPIRED`. */
  reject(channel: string, code: string): ApprovedSender;
  isApproved(channel: string, accountId: string, senderId: string): boolean;
  approvedSenders(channel: string): ApprovedSender[];
  /**
   * Resolves once every change made so far is durable. The file store writes synchronously and has none; a store
   * over storage tables writes through in the background, so a caller acknowledging a change awaits this first.
   */
  flush?(): Promise<void>;
}

// The file shapes are OpenClaw's legacy credentials files, so `openclaw doctor --fix` can import ours.
interface StoredRequest {
  id: string;
  code: string;
  createdAt: string;
  lastSeenAt: string;
  meta?: { accountId?: string; name?: string };
}

interface PairingFile {
  version: 1;
  requests: StoredRequest[];
}

interface AllowFromFile {
  version: 1;
  channel?: string;
  accountId?: string;
  allowFrom: string[];
}

/**
 * DM pairing state under `<stateDir>/credentials/`: pending requests in `<channel>-pairing.json`, approved senders in
 * `<channel>-allowFrom.json` (default account) or `<channel>-<accountId>-allowFrom.json`. Every call reads the
 * files, so an approval made by another process (the CLI) counts at once; every write is atomic (temp file, fsync,
 * rename, mode 0600). The files are small and written only on a pairing event, so synchronous I/O is fine here.
 */
export function createPairingStore(o: {
  stateDir: string;
  now?: () => number;
  ttlMs?: number;
}): PairingStore {
  const dir = join(o.stateDir, "credentials");
  const now = o.now ?? Date.now;
  const ttlMs = o.ttlMs ?? DEFAULT_PAIRING_TTL_MS;

  const pairingPath = (channel: string) => join(dir, `${channelSegment(channel)}${PAIRING_SUFFIX}`);
  const allowFromPath = (channel: string, accountId: string) =>
    join(
      dir,
      accountId === DEFAULT_ACCOUNT
        ? `${channelSegment(channel)}${ALLOW_FROM_SUFFIX}`
        : `${channelSegment(channel)}-${accountSegment(accountId)}${ALLOW_FROM_SUFFIX}`,
    );

  const isLive = (request: StoredRequest, at: number) => Date.parse(request.createdAt) + ttlMs > at;

  const toRequest = (channel: string, stored: StoredRequest): PairingRequest => {
    const createdAt = Date.parse(stored.createdAt);
    const out: PairingRequest = {
      channel,
      accountId: stored.meta?.accountId ?? DEFAULT_ACCOUNT,
      senderId: stored.id,
      code: stored.code,
      createdAt,
      lastSeenAt: Date.parse(stored.lastSeenAt),
      expiresAt: createdAt + ttlMs,
    };
    if (stored.meta?.name) out.senderName = stored.meta.name;
    return out;
  };

  const readPairing = (channel: string): StoredRequest[] => {
    const parsed = readJson(pairingPath(channel));
    if (parsed === undefined) return [];
    const requests = (parsed as { requests?: unknown }).requests;
    if (!Array.isArray(requests)) throw unreadable(pairingPath(channel), "it has no requests array");
    return requests.filter(isStoredRequest);
  };

  const writePairing = (channel: string, requests: StoredRequest[]) => {
    const file: PairingFile = { version: 1, requests };
    writeJsonFileAtomic(pairingPath(channel), file);
  };

  const readAllowFrom = (channel: string, accountId: string): string[] => {
    const parsed = readJson(allowFromPath(channel, accountId));
    if (parsed === undefined) return [];
    const list = Array.isArray(parsed) ? parsed : (parsed as { allowFrom?: unknown }).allowFrom;
    if (!Array.isArray(list))
      throw unreadable(allowFromPath(channel, accountId), "it has no allowFrom array");
    return list.filter((entry) => typeof entry === "string" || typeof entry === "number").map(String);
  };

  /** Finds the request for `code`, failing with the reason a person can act on. */
  const takeRequest = (channel: string, code: string): { stored: StoredRequest; rest: StoredRequest[] } => {
    const wanted = code.trim().toUpperCase();
    const requests = readPairing(channel);
    const stored = requests.find((request) => request.code === wanted);
    const at = now();
    if (!stored) {
      throw new PairingError(
        "PAIRING_CODE_UNKNOWN",
        `no pending ${channel} pairing request has code ${wanted}: run \`openclaw pairing list ${channel}\` to see the pending codes`,
      );
    }
    const rest = requests.filter((request) => request !== stored && isLive(request, at));
    if (!isLive(stored, at)) {
      writePairing(channel, rest);
      throw new PairingError(
        "PAIRING_CODE_EXPIRED",
        `${channel} pairing code ${wanted} has expired: ask the sender to message the bot again for a new code`,
      );
    }
    return { stored, rest };
  };

  return {
    request(req) {
      const at = now();
      const accountId = req.accountId || DEFAULT_ACCOUNT;
      const all = readPairing(req.channel);
      const live = all.filter((request) => isLive(request, at));
      const existing = live.find(
        (request) =>
          request.id === req.senderId && (request.meta?.accountId ?? DEFAULT_ACCOUNT) === accountId,
      );
      if (existing) {
        existing.lastSeenAt = new Date(at).toISOString();
        writePairing(req.channel, live);
        return { code: existing.code, created: false };
      }
      const pendingForAccount = live.filter(
        (request) => (request.meta?.accountId ?? DEFAULT_ACCOUNT) === accountId,
      ).length;
      if (pendingForAccount >= MAX_PENDING_PAIRING_REQUESTS) {
        if (live.length !== all.length) writePairing(req.channel, live);
        return { code: undefined, created: false };
      }
      const taken = new Set(live.map((request) => request.code));
      let code = generatePairingCode();
      while (taken.has(code)) code = generatePairingCode();
      const stamp = new Date(at).toISOString();
      const meta: StoredRequest["meta"] = { accountId };
      if (req.senderName) meta.name = req.senderName;
      live.push({ id: req.senderId, code, createdAt: stamp, lastSeenAt: stamp, meta });
      writePairing(req.channel, live);
      return { code, created: true };
    },

    list(channel) {
      const at = now();
      const channels = channel === undefined ? pairingChannels(dir) : [channel];
      return channels.flatMap((id) =>
        readPairing(id)
          .filter((request) => isLive(request, at))
          .map((request) => toRequest(id, request)),
      );
    },

    approve(channel, code) {
      const { stored, rest } = takeRequest(channel, code);
      const accountId = stored.meta?.accountId ?? DEFAULT_ACCOUNT;
      const allowFrom = readAllowFrom(channel, accountId);
      if (!allowFrom.includes(stored.id)) {
        const file: AllowFromFile = { version: 1, channel, accountId, allowFrom: [...allowFrom, stored.id] };
        writeJsonFileAtomic(allowFromPath(channel, accountId), file);
      }
      writePairing(channel, rest);
      return { accountId, senderId: stored.id };
    },

    reject(channel, code) {
      const { stored, rest } = takeRequest(channel, code);
      writePairing(channel, rest);
      return { accountId: stored.meta?.accountId ?? DEFAULT_ACCOUNT, senderId: stored.id };
    },

    isApproved(channel, accountId, senderId) {
      return readAllowFrom(channel, accountId || DEFAULT_ACCOUNT).includes(senderId);
    },

    approvedSenders(channel) {
      const prefix = channelSegment(channel);
      const out: ApprovedSender[] = [];
      for (const name of listDir(dir).sort()) {
        if (!name.endsWith(ALLOW_FROM_SUFFIX)) continue;
        const stem = name.slice(0, -ALLOW_FROM_SUFFIX.length);
        let accountId: string;
        if (stem === prefix) accountId = DEFAULT_ACCOUNT;
        else if (stem.startsWith(`${prefix}-`)) accountId = decodeURIComponent(stem.slice(prefix.length + 1));
        else continue;
        for (const senderId of readAllowFrom(channel, accountId)) out.push({ accountId, senderId });
      }
      return out;
    },
  };
}

/** A fresh pairing code: 8 characters without 0, O, 1 or I. */
export function generatePairingCode(): string {
  let code = "";
  for (let i = 0; i < CODE_LENGTH; i += 1) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

/**
 * The channel part of a file name. OpenClaw writes `<channel>-<accountId>-allowFrom.json`, which is ambiguous once a
 * channel id has a hyphen (`acme` + `chat-x` and `acme-chat` + `x`); escaping the channel's hyphens keeps the names
 * of hyphen-free channels (telegram, slack, discord, whatsapp) identical to OpenClaw's and makes the rest unique.
 */
function channelSegment(channel: string): string {
  assertPairingChannel(channel);
  return channel.replace(/-/g, "%2D");
}

/** Throws `PAIRING_INVALID_CHANNEL` unless `channel` is a lowercase channel id. */
export function assertPairingChannel(channel: string): void {
  if (CHANNEL_ID.test(channel)) return;
  throw new PairingError(
    "PAIRING_INVALID_CHANNEL",
    `"${channel}" is not a channel id: use the channel's lowercase id such as "telegram"`,
  );
}

/** Account ids come from config keys; anything outside a safe file-name alphabet is percent-encoded. */
function accountSegment(accountId: string): string {
  return accountId.replace(/[^A-Za-z0-9_-]/gu, (char) => {
    const encoded = encodeURIComponent(char);
    return encoded === char ? `%${char.charCodeAt(0).toString(16).toUpperCase()}` : encoded;
  });
}

function isStoredRequest(value: unknown): value is StoredRequest {
  const request = value as Partial<StoredRequest> | null;
  return (
    typeof request === "object" &&
    request !== null &&
    typeof request.id === "string" &&
    typeof request.code === "string" &&
    typeof request.createdAt === "string" &&
    !Number.isNaN(Date.parse(request.createdAt)) &&
    typeof request.lastSeenAt === "string"
  );
}

function unreadable(path: string, reason: string): PairingError {
  return new PairingError(
    "PAIRING_STORE_UNREADABLE",
    `cannot read the pairing file ${path}: ${reason} — fix or delete the file (pending requests and approvals in it are lost)`,
  );
}

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw unreadable(path, (error as Error).message);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw unreadable(path, `it is not valid JSON (${(error as Error).message})`);
  }
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

function pairingChannels(dir: string): string[] {
  return listDir(dir)
    .filter((name) => name.endsWith(PAIRING_SUFFIX))
    .map((name) => name.slice(0, -PAIRING_SUFFIX.length).replace(/%2D/g, "-"))
    .filter((channel) => CHANNEL_ID.test(channel))
    .sort();
}

/**
 * Every channel with a pairing or allowFrom file under `<stateDir>/credentials/` (for the one-time import into
 * tables). A channel segment never holds a raw "-" (ours are escaped), so an allowFrom file's channel is the part
 * before its first "-".
 */
export function legacyPairingChannels(stateDir: string): string[] {
  const dir = join(stateDir, "credentials");
  const fromAllow = listDir(dir)
    .filter((name) => name.endsWith(ALLOW_FROM_SUFFIX))
    .map((name) => (name.slice(0, -ALLOW_FROM_SUFFIX.length).split("-")[0] ?? "").replace(/%2D/g, "-"))
    .filter((channel) => CHANNEL_ID.test(channel));
  return [...new Set([...pairingChannels(dir), ...fromAllow])].sort();
}
