import type { InboundMessage } from "@openclaw/plugin-sdk";
import { SUPPORTED_BINDING_MATCH_KEYS } from "../config/bindings-config-schema.js";

const SUPPORTED_MATCH_KEYS = new Set<string>(SUPPORTED_BINDING_MATCH_KEYS);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const DIRECT_KINDS = new Set(["direct", "dm"]);
const GROUP_KINDS = new Set(["group", "channel", "room"]);

/**
 * The agent a message is routed to by OpenClaw's top-level `bindings` (`{ agentId, match: { channel, accountId?,
 * peer?: { kind, id }, guildId?, roles? } }`): every field given must match, and the most specific binding wins
 * (peer, then guild with roles, then guild, then account, then channel; the first in config order within a tier);
 * undefined when no binding matches and the default agent applies.
 */
export function resolveBoundAgentId(bindings: unknown, message: InboundMessage): string | undefined {
  if (!Array.isArray(bindings)) return undefined;
  let best: { agentId: string; score: number } | undefined;
  for (const binding of bindings) {
    if (!isObject(binding) || typeof binding.agentId !== "string" || !isObject(binding.match)) continue;
    const score = matchScore(binding.match, message);
    if (score !== undefined && (best === undefined || score > best.score)) {
      best = { agentId: binding.agentId, score };
    }
  }
  return best?.agentId;
}

function matchScore(match: Record<string, unknown>, message: InboundMessage): number | undefined {
  // A condition this gateway cannot evaluate (teamId, ...) must not be treated as met: the binding
  // would then catch every message of the channel. The config loader reports the key.
  if (Object.keys(match).some((key) => !SUPPORTED_MATCH_KEYS.has(key))) return undefined;
  if (match.channel !== message.channel) return undefined;
  let score = 1;
  if (match.accountId !== undefined) {
    if (match.accountId !== "*" && match.accountId !== message.accountId) return undefined;
    score += match.accountId === "*" ? 0 : 1;
  }
  if (match.guildId !== undefined) {
    if (message.guildId === undefined || String(match.guildId) !== message.guildId) return undefined;
    score += 2;
  }
  if (match.roles !== undefined) {
    // Role ids only mean something inside a guild, as in OpenClaw: a role binding without a guild never matches.
    if (!Array.isArray(match.roles) || match.guildId === undefined) return undefined;
    const held = new Set(message.sender.roleIds ?? []);
    if (!match.roles.some((role) => held.has(String(role)))) return undefined;
    score += 1;
  }
  if (match.peer !== undefined) {
    if (!isObject(match.peer)) return undefined;
    const kind = String(match.peer.kind ?? "");
    const isDirect = message.chatKind === "dm";
    if (isDirect ? !DIRECT_KINDS.has(kind) : !GROUP_KINDS.has(kind)) return undefined;
    const id = isDirect ? message.sender.id : (message.chatId ?? message.peer.id);
    if (String(match.peer.id ?? "") !== id) return undefined;
    // An exact conversation outranks every group-space and account condition together.
    score += 8;
  }
  return score;
}
