import { randomUUID } from "node:crypto";
import type { AgentTool } from "@openclaw/agent";
import { z } from "zod";
import { parseToolArgs } from "../fs/fs-tool-context.js";
import type { SessionsPort } from "../ports/sessions-port.js";
import { refuseUnsupportedParams } from "./refuse-unsupported-params.js";
import { resolveCaller, resolveVisibleSession, type SessionToolsOptions } from "./session-tool-target.js";

const DEFAULT_TIMEOUT_SECONDS = 30;
/** The longest a call waits for the other session's reply; its run goes on after that regardless. */
export const SEND_MAX_WAIT_SECONDS = 600;
export const SEND_MAX_MESSAGE_CHARS = 100_000;
const NO_REPLY_MESSAGE = "No visible reply or pending announcement. Continue or retry if needed.";
/** Replies are announced to the caller only when waited for; a later reply is read with sessions_history. */
const DELIVERY = { status: "skipped", mode: "announce" } as const;

const SessionsSendSchema = z.object({
  sessionKey: z.string().min(1).max(512).optional().describe("Target session key (from sessions_list)."),
  label: z.string().min(1).max(512).optional().describe("Target session label, instead of sessionKey."),
  agentId: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe("Agent of the label; alone, that agent's main session."),
  message: z.string().min(1).max(SEND_MAX_MESSAGE_CHARS),
  timeoutSeconds: z
    .int()
    .min(0)
    .max(SEND_MAX_WAIT_SECONDS)
    .optional()
    .describe(`Seconds to wait for the reply (default ${DEFAULT_TIMEOUT_SECONDS}); 0 returns at once.`),
  mode: z
    .enum(["notify", "steer", "followup", "resume"])
    .optional()
    .describe('Only "followup" (the default).'),
});

const UNSUPPORTED = {
  watch: "state-change watches are not kept here; call session_status or sessions_history when you need news",
};

export function createSessionsSendTool(port: SessionsPort, options: SessionToolsOptions): AgentTool {
  return {
    name: "sessions_send",
    description:
      "Send a message to another session you can see and run a turn there; by default wait up to 30 s for its reply. The message reaches the other agent marked as coming from this session. timeoutSeconds: 0 returns at once; read a later reply with sessions_history.",
    parameters: SessionsSendSchema,
    async execute(rawArgs, ctx) {
      refuseUnsupportedParams("sessions_send", rawArgs, UNSUPPORTED);
      const args = parseToolArgs("sessions_send", SessionsSendSchema, rawArgs);
      if (args.message.trim() === "") return failure("error", "message is empty: say what to send");
      if (args.mode !== undefined && args.mode !== "followup") {
        return failure(
          "error",
          `mode "${args.mode}" is not supported here: omit mode (a new turn in the target session, "followup")`,
        );
      }
      if (args.sessionKey === undefined && args.label === undefined && args.agentId === undefined) {
        return failure("error", "name the target: sessionKey, label, or agentId (that agent's main session)");
      }
      const settings = options.settings(ctx.agentId);
      const caller = await resolveCaller(port, ctx);
      const target = await resolveVisibleSession(port, caller, settings, {
        ...(args.sessionKey !== undefined ? { sessionKey: args.sessionKey } : {}),
        ...(args.label !== undefined ? { label: args.label } : {}),
        ...(args.agentId !== undefined ? { agentId: args.agentId } : {}),
      });
      if (!target.ok) return failure(target.status, target.error);
      const sessionKey = target.session.key;
      if (sessionKey === caller.key) {
        return failure(
          "error",
          "sessions_send cannot target the current session: its turn would wait behind this one; answer directly instead",
        );
      }
      if (/:(thread|topic):/i.test(sessionKey)) {
        return failure(
          "error",
          "thread sessions are not sessions_send targets: use the parent channel session's key instead",
        );
      }
      const timeoutSeconds = args.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
      const outcome = await port.send({
        requesterSessionKey: caller.key,
        requesterAgentId: caller.agentId,
        sessionKey,
        message: args.message,
        waitMs: timeoutSeconds * 1000,
        signal: ctx.signal,
      });
      switch (outcome.status) {
        case "ok":
          return outcome.reply.trim() === ""
            ? { runId: outcome.runId, status: "no_reply", sessionKey, message: NO_REPLY_MESSAGE }
            : { runId: outcome.runId, status: "ok", sessionKey, delivery: DELIVERY, reply: outcome.reply };
        case "accepted":
          return {
            runId: outcome.runId,
            status: "accepted",
            sessionKey,
            targetDisposition: "queued",
            delivery: DELIVERY,
          };
        case "timeout":
          return {
            runId: outcome.runId,
            status: "timeout",
            error: `no reply within ${timeoutSeconds} s; the run goes on: read its answer later with sessions_history (do not resend)`,
            sentBeforeError: true,
            sessionKey,
          };
        default:
          return {
            runId: outcome.runId,
            status: "error",
            error: outcome.error,
            sessionKey,
            ...(outcome.sent ? { sentBeforeError: true } : {}),
          };
      }
    },
  };
}

function failure(status: "error" | "forbidden", error: string) {
  return { runId: randomUUID(), status, error };
}
