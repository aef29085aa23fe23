import { SessionError } from "./session-error.js";

/** How direct messages map to sessions (`session.dmScope` in OpenClaw's config). */
export type DmScope = "main" | "per-peer" | "per-channel-peer" | "per-account-channel-peer";

export const DEFAULT_AGENT_ID = "main";
export const DEFAULT_MAIN_KEY = "main";
export const DEFAULT_ACCOUNT_ID = "default";
export const MAX_SESSION_KEY_LENGTH = 512;

export interface ParsedSessionKey {
  agentId: string;
  rest: string;
  kind: "direct" | "group" | "global" | "unknown";
  chatType?: "direct" | "group" | "channel";
  channel?: string;
  accountId?: string;
  peerId?: string;
  threadId?: string;
  isMain: boolean;
}

// Agent, account and channel ids follow OpenClaw's id rule: [a-z0-9][a-z0-9_-]{0,63}, anything else folded to "-".
const CANONICAL_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const NON_ID_CHARS = /[^a-z0-9_-]+/g;

const DIRECT_MARKERS = new Set(["direct", "dm"]);
const GROUP_MARKERS = new Set(["group", "channel", "room"]);
const AUTOMATION_PREFIXES = new Set(["cron", "hook"]);
// A channel or account named like a structural marker would make keys parse two ways.
const RESERVED_CHANNELS = new Set([
  ...DIRECT_MARKERS,
  ...GROUP_MARKERS,
  ...AUTOMATION_PREFIXES,
  "agent",
  "main",
  "global",
  "unknown",
  "thread",
  "topic",
]);
const RESERVED_ACCOUNTS = new Set([...DIRECT_MARKERS, ...GROUP_MARKERS]);

function canonicalId(value: string | undefined): string {
  const lowered = (value ?? "").trim().toLowerCase();
  if (CANONICAL_ID.test(lowered)) return lowered;
  return lowered.replace(NON_ID_CHARS, "-").replace(/^-+/, "").slice(0, 64).replace(/-+$/, "");
}

/** OpenClaw's agent id rule; also what makes `agents/<agentId>/` safe as a directory name. */
export function normalizeAgentId(value?: string): string {
  return canonicalId(value) || DEFAULT_AGENT_ID;
}

export function normalizeAccountId(value?: string): string {
  return canonicalId(value) || DEFAULT_ACCOUNT_ID;
}

function normalizeChannel(value: string): string {
  const channel = canonicalId(value) || "unknown";
  if (RESERVED_CHANNELS.has(channel)) {
    throw new SessionError(
      "INVALID_SESSION_KEY",
      `channel "${value}" collides with a session key marker; give the channel plugin another id`,
      { details: { channel: value } },
    );
  }
  return channel;
}

function normalizeMainKey(value?: string): string {
  return encodeKeySegment((value ?? "").trim().toLowerCase()) || DEFAULT_MAIN_KEY;
}

/**
 * Encodes a platform-provided id so it is exactly one key segment.
 *
 * Only `%`, `:`, whitespace and control characters are escaped, as `%` + two lower-case hex digits
 * (lower-case so the result survives key normalisation, which lower-cases). The encoding is injective,
 * so two different ids never share a key, and ids without those characters (Telegram, Slack, Discord,
 * WhatsApp ids, phone numbers) come out unchanged, matching OpenClaw's keys byte for byte.
 */
export function encodeKeySegment(value: string): string {
  let out = "";
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    out += char === "%" || char === ":" || code <= 0x20 || code === 0x7f ? `%${hex2(code)}` : char;
  }
  return out;
}

function hex2(code: number): string {
  return code.toString(16).padStart(2, "0");
}

const ENCODED_ESCAPE = /%([0-9a-f]{2})/gi;

/** Reverses {@link encodeKeySegment}; other `%xx` sequences (from foreign keys) are left alone. */
export function decodeKeySegment(value: string): string {
  return value.replace(ENCODED_ESCAPE, (match, hex: string) => {
    const code = Number.parseInt(hex, 16);
    return code === 0x25 || code === 0x3a || code <= 0x20 || code === 0x7f
      ? String.fromCharCode(code)
      : match;
  });
}

// Signal group ids and Matrix room ids are case-sensitive; OpenClaw keeps their case, and so do we.
function preservesIdCase(channel: string, marker: string): boolean {
  if (channel === "signal") return marker === "group";
  return channel === "matrix" && GROUP_MARKERS.has(marker);
}

function preservesThreadCase(channel: string, marker: string): boolean {
  return channel === "matrix" && GROUP_MARKERS.has(marker);
}

function idSegment(raw: string | undefined, preserveCase: boolean): string {
  const trimmed = (raw ?? "").trim();
  return encodeKeySegment(preserveCase ? trimmed : trimmed.toLowerCase());
}

function finishKey(key: string): string {
  assertValidSessionKey(key);
  return key;
}

export function buildMainSessionKey(agentId?: string, mainKey?: string): string {
  return finishKey(`agent:${normalizeAgentId(agentId)}:${normalizeMainKey(mainKey)}`);
}

/**
 * The key of a direct-message session. `dmScope: "main"` (or an empty peer id) collapses into the
 * agent's main session; a `threadId` (Slack Agent View roots) appends `:thread:<id>` to whichever
 * base the scope picks.
 */
export function buildPeerSessionKey(o: {
  agentId?: string;
  channel: string;
  accountId?: string;
  peerId: string;
  dmScope: DmScope;
  mainKey?: string;
  threadId?: string;
  /** `session.identityLinks`: canonical id -> the person's ids (`"telegram:123"` or a bare id) on each channel. */
  identityLinks?: Readonly<Record<string, readonly string[]>>;
}): string {
  const agentId = normalizeAgentId(o.agentId);
  const linked = o.dmScope === "main" ? undefined : linkedPeerId(o.identityLinks, o.channel, o.peerId);
  const peer = idSegment(linked ?? o.peerId, false);
  let base: string;
  if (o.dmScope === "main" || !peer) {
    base = `agent:${agentId}:${normalizeMainKey(o.mainKey)}`;
  } else if (o.dmScope === "per-peer") {
    base = `agent:${agentId}:direct:${peer}`;
  } else if (o.dmScope === "per-channel-peer") {
    base = `agent:${agentId}:${normalizeChannel(o.channel)}:direct:${peer}`;
  } else {
    const accountId = normalizeAccountId(o.accountId);
    if (RESERVED_ACCOUNTS.has(accountId)) {
      throw new SessionError(
        "INVALID_SESSION_KEY",
        `account id "${o.accountId}" collides with a session key marker; rename the account`,
        { details: { accountId: o.accountId } },
      );
    }
    base = `agent:${agentId}:${normalizeChannel(o.channel)}:${accountId}:direct:${peer}`;
  }
  const thread = idSegment(o.threadId, false);
  return finishKey(thread ? `${base}:thread:${thread}` : base);
}

/**
 * OpenClaw's identity links: the canonical id whose list names this peer, as `<channel>:<id>` or the bare id
 * (case-insensitive), so one person's DMs on several channels share a session; undefined when none does.
 */
export function linkedPeerId(
  identityLinks: Readonly<Record<string, readonly string[]>> | undefined,
  channel: string,
  peerId: string,
): string | undefined {
  const peer = peerId.trim().toLowerCase();
  if (!identityLinks || peer === "") return undefined;
  const candidates = new Set([peer, `${channel.trim().toLowerCase()}:${peer}`]);
  for (const [canonical, ids] of Object.entries(identityLinks)) {
    const name = canonical.trim();
    if (name === "" || !Array.isArray(ids)) continue;
    if (ids.some((id) => candidates.has(id.trim().toLowerCase()))) return name;
  }
  return undefined;
}

/**
 * The key of a group (`kind: "group"`, the default) or a guild/workspace channel (`kind: "channel"`).
 * Threads append `:thread:<id>`, except Telegram forum topics, which OpenClaw writes as `:topic:<id>`.
 */
export function buildGroupSessionKey(o: {
  agentId?: string;
  channel: string;
  id: string;
  kind?: "group" | "channel";
  threadId?: string;
}): string {
  const channel = normalizeChannel(o.channel);
  const marker = o.kind ?? "group";
  const id = idSegment(o.id, preservesIdCase(channel, marker)) || "unknown";
  const base = `agent:${normalizeAgentId(o.agentId)}:${channel}:${marker}:${id}`;
  const thread = idSegment(o.threadId, preservesThreadCase(channel, marker));
  if (!thread) return finishKey(base);
  const threadMarker = channel === "telegram" && marker === "group" ? "topic" : "thread";
  return finishKey(`${base}:${threadMarker}:${thread}`);
}

function automationKey(prefix: string, id: string, agentId: string | undefined, what: string): string {
  const segment = idSegment(id, false);
  if (!segment) {
    throw new SessionError("INVALID_SESSION_KEY", `${what} is empty; pass a non-empty ${what}`);
  }
  return finishKey(`agent:${normalizeAgentId(agentId)}:${prefix}:${segment}`);
}

export function buildCronSessionKey(jobId: string, agentId?: string): string {
  return automationKey("cron", jobId, agentId, "cron job id");
}

export function buildHookSessionKey(name: string, agentId?: string): string {
  return automationKey("hook", name, agentId, "hook name");
}

interface AgentKeyParts {
  agentRaw: string;
  rest: string;
}

function splitAgentKey(key: string): AgentKeyParts | undefined {
  if (key.slice(0, 6).toLowerCase() !== "agent:") return undefined;
  const end = key.indexOf(":", 6);
  if (end === -1) return undefined;
  const agentRaw = key.slice(6, end).trim();
  const rest = key.slice(end + 1);
  if (!agentRaw || !rest || rest.startsWith(":")) return undefined;
  return { agentRaw, rest };
}

interface RestShape extends Omit<ParsedSessionKey, "agentId" | "rest"> {
  automation: boolean;
}

function findThreadMarker(text: string): { at: number; marker: string } | undefined {
  const lower = text.toLowerCase();
  for (const marker of [":thread:", ":topic:"]) {
    const at = lower.lastIndexOf(marker);
    if (at > 0 && at + marker.length < text.length) return { at, marker };
  }
  return undefined;
}

function splitThread(rest: string): { base: string; threadId?: string } {
  const found = findThreadMarker(rest);
  if (!found) return { base: rest };
  return {
    base: rest.slice(0, found.at),
    threadId: decodeKeySegment(rest.slice(found.at + found.marker.length)),
  };
}

function parseRest(rest: string, mainKey: string): RestShape {
  const { base, threadId } = splitThread(rest);
  const segments = base.split(":");
  const lower = segments.map((segment) => segment.toLowerCase());
  const [first = "", second = "", third = ""] = lower;
  const shape: RestShape = { kind: "direct", isMain: false, automation: false };
  if (threadId !== undefined) shape.threadId = threadId;
  const tail = (from: number) => decodeKeySegment(segments.slice(from).join(":"));

  if (segments.length === 1) {
    if (first === mainKey) shape.isMain = threadId === undefined;
    else if (first === "global" || first === "unknown") shape.kind = first;
    return shape;
  }
  if (DIRECT_MARKERS.has(first)) return { ...shape, chatType: "direct", peerId: tail(1) };
  if (AUTOMATION_PREFIXES.has(first)) return { ...shape, automation: true };
  if (segments.length >= 3 && DIRECT_MARKERS.has(second)) {
    return { ...shape, chatType: "direct", channel: first, peerId: tail(2) };
  }
  if (segments.length >= 4 && DIRECT_MARKERS.has(third)) {
    return { ...shape, chatType: "direct", channel: first, accountId: second, peerId: tail(3) };
  }
  if (segments.length >= 3 && GROUP_MARKERS.has(second)) {
    const chatType = second === "group" ? "group" : "channel";
    return { ...shape, kind: "group", chatType, channel: first, peerId: tail(2) };
  }
  return shape;
}

/**
 * Splits an `agent:<agentId>:<rest>` key into its parts (undefined for any other key). Ids come back
 * decoded; `kind` follows OpenClaw's classification, where everything that is not a group, a channel
 * or one of the `global`/`unknown` sentinels counts as `direct`.
 */
export function parseSessionKey(key: string, o: { mainKey?: string } = {}): ParsedSessionKey | undefined {
  const parts = splitAgentKey(key.trim());
  if (!parts) return undefined;
  const { automation: _automation, ...shape } = parseRest(parts.rest, normalizeMainKey(o.mainKey));
  return { agentId: normalizeAgentId(parts.agentRaw), rest: parts.rest, ...shape };
}

// Lower-cases a key body the way OpenClaw does, keeping the case of ids that are case-sensitive.
function canonicalRest(rest: string): string {
  const segments = rest.split(":");
  const channel = (segments[0] ?? "").toLowerCase();
  const marker = (segments[1] ?? "").toLowerCase();
  if (segments.length < 3 || !preservesIdCase(channel, marker)) return rest.toLowerCase();
  const body = segments.slice(2).join(":");
  const found = findThreadMarker(body);
  if (!found) return `${channel}:${marker}:${body}`;
  const thread = body.slice(found.at + found.marker.length);
  const threadCanonical = preservesThreadCase(channel, marker) ? thread : thread.toLowerCase();
  return `${channel}:${marker}:${body.slice(0, found.at)}${found.marker}${threadCanonical}`;
}

/**
 * Canonical form of a key a client sent:
 * - `main` (or the configured main key) becomes `agent:<agentId>:main`;
 * - `agent:...` keys get OpenClaw's canonical case (agent id normalised, body lower-cased except
 *   case-sensitive Signal group and Matrix room ids);
 * - recognised relative keys (`telegram:direct:123`, `discord:channel:9`, `cron:<job>`, `hook:<name>`,
 *   `direct:<peer>`) are scoped to the agent, as OpenClaw scopes request keys;
 * - `global` and `unknown` stay the shared sentinels;
 * - anything else (the quickstart's `@alice/pi-main`) is a free-form key, kept verbatim after trimming.
 */
export function normalizeSessionKey(input: string, o: { agentId?: string; mainKey?: string } = {}): string {
  assertValidSessionKey(input);
  const trimmed = input.trim();
  const lower = trimmed.toLowerCase();
  const mainKey = normalizeMainKey(o.mainKey);
  if (lower === DEFAULT_MAIN_KEY || lower === mainKey) return buildMainSessionKey(o.agentId, mainKey);
  if (lower.startsWith("agent:")) {
    const parts = splitAgentKey(trimmed);
    if (!parts) {
      throw new SessionError(
        "INVALID_SESSION_KEY",
        `session key "${trimmed}" starts with "agent:" but is not agent:<agentId>:<rest>; fix the key or drop the "agent:" prefix`,
        { details: { key: trimmed } },
      );
    }
    return finishKey(`agent:${normalizeAgentId(parts.agentRaw)}:${canonicalRest(parts.rest)}`);
  }
  if (lower === "global" || lower === "unknown") return lower;
  const shape = parseRest(trimmed, mainKey);
  if (shape.chatType !== undefined || shape.automation) {
    return finishKey(`agent:${normalizeAgentId(o.agentId)}:${canonicalRest(trimmed)}`);
  }
  return trimmed;
}

/** Throws `INVALID_SESSION_KEY` for a non-string, empty, over-long (> 512) or control-character key. */
export function assertValidSessionKey(key: unknown): asserts key is string {
  if (typeof key !== "string" || key.trim() === "") {
    throw new SessionError("INVALID_SESSION_KEY", "session key is empty; pass a key such as agent:main:main");
  }
  if (key.length > MAX_SESSION_KEY_LENGTH) {
    throw new SessionError(
      "INVALID_SESSION_KEY",
      `session key is ${key.length} characters; keys are limited to ${MAX_SESSION_KEY_LENGTH}`,
      { details: { length: key.length } },
    );
  }
  for (let index = 0; index < key.length; index += 1) {
    const code = key.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) {
      throw new SessionError(
        "INVALID_SESSION_KEY",
        `session key contains control character 0x${hex2(code)} at ${index}; remove it`,
        { details: { index } },
      );
    }
  }
}

export function isValidSessionKey(key: string): boolean {
  try {
    assertValidSessionKey(key);
    return true;
  } catch {
    return false;
  }
}
