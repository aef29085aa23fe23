import type { AgentTool } from "@openclaw/agent";
import { z } from "zod";
import { parseToolArgs } from "../fs/fs-tool-context.js";
import { SESSION_TOOL_KINDS, type SessionInfo, type SessionsPort } from "../ports/sessions-port.js";
import { redactCredentials } from "./history-redaction.js";
import { refuseUnsupportedParams } from "./refuse-unsupported-params.js";
import { resolveCaller, type SessionToolsOptions } from "./session-tool-target.js";
import type { SessionToolSettings } from "./session-tools-config.js";
import { decideSessionAccess, type SessionCaller } from "./session-visibility.js";

const DEFAULT_LIMIT = 100;
/** Rows one call returns at most (OpenClaw's bound; a larger `limit` is accepted and reported as `limitApplied`). */
export const LIST_MAX_ROWS = 200;
/** Store rows one call looks at: five pages, as OpenClaw bounds it; the rest is reached through nextOffset. */
const SCAN_PAGE = 200;
const SCAN_PAGES = 5;
/** The result as JSON stays under this (OpenClaw's 64 KiB). */
export const LIST_MAX_BYTES = 64 * 1024;
const MESSAGE_LIMIT_MAX = 20;
const MESSAGE_TEXT_MAX_CHARS = 500;

const SessionsListSchema = z.object({
  kinds: z.array(z.enum(SESSION_TOOL_KINDS)).max(SESSION_TOOL_KINDS.length).optional(),
  limit: z
    .int()
    .min(1)
    .max(100_000)
    .optional()
    .describe(`Rows per page (default ${DEFAULT_LIMIT}, at most 200).`),
  offset: z.int().min(0).max(Number.MAX_SAFE_INTEGER).optional().describe("Pass nextOffset to continue."),
  activeMinutes: z
    .int()
    .min(1)
    .max(10_000_000)
    .optional()
    .describe("Only sessions updated in the last N minutes."),
  activeOnly: z.boolean().optional().describe("Only sessions with a run going on now."),
  excludeSubagents: z.boolean().optional(),
  messageLimit: z.int().min(0).max(MESSAGE_LIMIT_MAX).optional().describe("Newest messages per row (0-20)."),
  label: z.string().min(1).max(512).optional(),
  agentId: z.string().min(1).max(64).optional(),
  search: z.string().min(1).max(512).optional(),
  archived: z.union([z.boolean(), z.literal("all")]).optional(),
  includeLastMessage: z.boolean().optional(),
});

const UNSUPPORTED = {
  relationship: "sessions have no owners here",
  ownerId: "sessions have no owners here",
  creatorId: "sessions have no owners here",
  projectId: "sessions have no project associations here",
  workspaceDir: "sessions have no workspace associations here",
  group: "sidebar groups are not kept here",
  pinned: "filtering by pin state is not available; every row reports pinned",
  includeDerivedTitles: "derived titles are not computed here; use label or includeLastMessage",
};

type SessionsListArgs = z.infer<typeof SessionsListSchema>;

interface ListRow {
  key: string;
  sessionId?: string;
  agentId: string;
  kind: SessionInfo["kind"];
  channel: string;
  label?: string;
  displayName?: string;
  parentSessionKey?: string;
  model?: string;
  totalTokens?: number;
  status: "running" | "idle";
  archived: boolean;
  pinned: boolean;
  updatedAt?: number;
  lastMessagePreview?: string;
  messages?: { role: string; text: string; timestamp: number }[];
}

export function createSessionsListTool(port: SessionsPort, options: SessionToolsOptions): AgentTool {
  return {
    name: "sessions_list",
    description:
      "List sessions you can see (key, agent, kind, channel, label, parent, model, tokens, status), newest first. Filter with kinds, agentId, label, search, activeMinutes, activeOnly, archived; page with offset/nextOffset. Use a row's key with sessions_history, sessions_send or session_status.",
    parameters: SessionsListSchema,
    async execute(rawArgs, ctx) {
      refuseUnsupportedParams("sessions_list", rawArgs, UNSUPPORTED);
      const args = parseToolArgs("sessions_list", SessionsListSchema, rawArgs);
      const settings = options.settings(ctx.agentId);
      const caller = await resolveCaller(port, ctx);
      const limitApplied = Math.min(args.limit ?? DEFAULT_LIMIT, LIST_MAX_ROWS);
      const page = await scanVisible(port, caller, settings, args, limitApplied);
      const rows = await withMessages(port, page.sessions.map(toRow), args.messageLimit ?? 0);
      const fitted = fitBudget(rows);
      const omittedByBytes = rows.length - fitted.rows.length;
      const nextOffset = omittedByBytes > 0 ? page.rawOffsets[fitted.rows.length] : page.nextOffset;
      const restricted = settings.visibility !== "all";
      return {
        count: fitted.rows.length,
        sessions: fitted.rows,
        hasMore: nextOffset !== undefined,
        ...(nextOffset !== undefined ? { nextOffset } : {}),
        limitApplied,
        ...(omittedByBytes > 0
          ? { truncationReason: "byte-limit" }
          : page.scanLimited
            ? { truncationReason: "scan-limit" }
            : {}),
        ...(fitted.enrichmentOmitted ? { enrichmentOmitted: true } : {}),
        ...(restricted
          ? {
              visibility: {
                mode: settings.visibility,
                restricted: true,
                warning: `Only sessions within tools.sessions.visibility "${settings.visibility}" are listed; others may exist.`,
              },
            }
          : {}),
      };
    },
  };
}

interface ScannedPage {
  sessions: SessionInfo[];
  /** The store offset of each returned row, to continue right at a row dropped for size. */
  rawOffsets: number[];
  nextOffset?: number;
  scanLimited: boolean;
}

async function scanVisible(
  port: SessionsPort,
  caller: SessionCaller,
  settings: SessionToolSettings,
  args: SessionsListArgs,
  limit: number,
): Promise<ScannedPage> {
  const sameAgentOnly = settings.visibility === "agent" || (settings.visibility === "tree" && caller.isMain);
  if (args.agentId !== undefined && sameAgentOnly && args.agentId !== caller.agentId) {
    return { sessions: [], rawOffsets: [], scanLimited: false };
  }
  const found: SessionInfo[] = [];
  const rawOffsets: number[] = [];
  const known = new Map<string, SessionInfo>();
  const lookup = async (key: string) => known.get(key) ?? port.get(key);
  let offset = args.offset ?? 0;
  for (let page = 0; page < SCAN_PAGES; page += 1) {
    const { sessions, total } = await port.list({
      limit: SCAN_PAGE,
      offset,
      ...(args.agentId ? { agentId: args.agentId } : sameAgentOnly ? { agentId: caller.agentId } : {}),
      ...(args.label ? { label: args.label } : {}),
      ...(args.search ? { search: args.search } : {}),
      ...(args.activeMinutes ? { activeMinutes: args.activeMinutes } : {}),
      ...(args.archived !== undefined ? { archived: args.archived } : {}),
      ...(args.includeLastMessage ? { includeLastMessage: true } : {}),
    });
    for (const session of sessions) known.set(session.key, session);
    for (const [index, session] of sessions.entries()) {
      if (found.length === limit)
        return { sessions: found, rawOffsets, nextOffset: offset + index, scanLimited: false };
      if (!matchesFilters(session, args)) continue;
      if (!(await decideSessionAccess(caller, session, settings, lookup)).allowed) continue;
      found.push(session);
      rawOffsets.push(offset + index);
    }
    offset += sessions.length;
    if (sessions.length < SCAN_PAGE || offset >= total)
      return { sessions: found, rawOffsets, scanLimited: false };
  }
  return { sessions: found, rawOffsets, nextOffset: offset, scanLimited: found.length < limit };
}

function matchesFilters(session: SessionInfo, args: SessionsListArgs): boolean {
  if (args.kinds && args.kinds.length > 0 && !args.kinds.includes(session.kind)) return false;
  if (args.excludeSubagents && session.spawnDepth > 0) return false;
  if (args.activeOnly && !session.running) return false;
  return true;
}

function toRow(session: SessionInfo): ListRow {
  const row: ListRow = {
    key: session.key,
    agentId: session.agentId,
    kind: session.kind,
    channel: session.channel,
    status: session.running ? "running" : "idle",
    archived: session.archived,
    pinned: session.pinned,
  };
  if (session.sessionId) row.sessionId = session.sessionId;
  if (session.label) row.label = session.label;
  if (session.displayName) row.displayName = session.displayName;
  if (session.parentSessionKey) row.parentSessionKey = session.parentSessionKey;
  if (session.model) row.model = session.model;
  if (session.totalTokens !== undefined) row.totalTokens = session.totalTokens;
  if (session.updatedAt !== undefined) row.updatedAt = session.updatedAt;
  if (session.lastMessagePreview) row.lastMessagePreview = redactCredentials(session.lastMessagePreview).text;
  return row;
}

async function withMessages(port: SessionsPort, rows: ListRow[], messageLimit: number): Promise<ListRow[]> {
  if (messageLimit === 0) return rows;
  for (const row of rows) {
    const entries = await port.history(row.key, { limit: messageLimit * 4 });
    row.messages = entries
      .filter((entry) => entry.role === "user" || entry.role === "assistant")
      .slice(-messageLimit)
      .map((entry) => {
        const text = redactCredentials(entry.text).text;
        return {
          role: entry.role,
          text: text.length > MESSAGE_TEXT_MAX_CHARS ? `${text.slice(0, MESSAGE_TEXT_MAX_CHARS)}…` : text,
          timestamp: entry.ts,
        };
      });
  }
  return rows;
}

/** Rows in order while the JSON fits; when even the first row's messages do not fit, every row loses them. */
function fitBudget(rows: ListRow[]): { rows: ListRow[]; enrichmentOmitted: boolean } {
  const fitting = (candidates: ListRow[]) => {
    const out: ListRow[] = [];
    let bytes = 256;
    for (const row of candidates) {
      bytes += Buffer.byteLength(JSON.stringify(row), "utf8") + 1;
      if (bytes > LIST_MAX_BYTES) break;
      out.push(row);
    }
    return out;
  };
  const fitted = fitting(rows);
  if (fitted.length > 0 || rows.length === 0 || rows[0]?.messages === undefined) {
    return { rows: fitted, enrichmentOmitted: false };
  }
  const bare = rows.map(({ messages: _messages, ...row }) => row);
  return { rows: fitting(bare), enrichmentOmitted: true };
}
