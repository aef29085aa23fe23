import { SystemRunParamsSchema } from "@openclaw/protocol";
import type { z } from "zod";
import { type Notification, notify, SystemNotifyParamsSchema } from "./commands/system-notify.js";
import { runSystemCommand } from "./commands/system-run.js";
import { SystemWhichParamsSchema, whichBins } from "./commands/system-which.js";

export interface CommandContext {
  signal: AbortSignal;
  /** Streams text to the caller (`node.invoke.progress`). */
  progress(text: string): void;
}

export type CommandHandler = (params: unknown, context: CommandContext) => Promise<unknown> | unknown;

/** A command failure the caller can branch on: `code` travels in `node.invoke.result.error`. */
export class NodeCommandError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "NodeCommandError";
  }
}

function parse<T>(schema: z.ZodType<T>, command: string, params: unknown): T {
  const parsed = schema.safeParse(params);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new NodeCommandError(
    "INVALID_PARAMS",
    `invalid params for ${command}: ${issue ? `${issue.path.join(".") || "params"}: ${issue.message}` : "malformed"}`,
  );
}

/** The commands this node declares, in the order the gateway is told. */
export function createCommandTable(o: {
  notify(notification: Notification): void;
  extra?: Record<string, CommandHandler>;
}) {
  const builtIn: Record<string, CommandHandler> = {
    // The gateway asked an operator before sending this (tools.exec.mode); the host runs what it was sent.
    "system.run": (params, context) =>
      runSystemCommand(parse(SystemRunParamsSchema, "system.run", params), {
        signal: context.signal,
        onOutput: context.progress,
      }),
    "system.which": (params) => whichBins(parse(SystemWhichParamsSchema, "system.which", params)),
    "system.notify": (params) => notify(parse(SystemNotifyParamsSchema, "system.notify", params), o.notify),
  };
  const handlers: Record<string, CommandHandler> = { ...o.extra, ...builtIn };
  return {
    names: () => Object.keys(handlers).sort(),
    async run(command: string, params: unknown, context: CommandContext): Promise<unknown> {
      const handler = handlers[command];
      if (!handler) throw new NodeCommandError("UNKNOWN_COMMAND", `this node does not serve "${command}"`);
      return handler(params, context);
    },
  };
}
