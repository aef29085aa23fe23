import type { AgentRuntime } from "@openclaw/agent";
import type { SessionStore } from "@openclaw/sessions";

/** What the commands act on: the session store and the agent runtime, nothing else. */
export interface CommandServices {
  sessions: Pick<SessionStore, "get" | "reset" | "patch">;
  agent: Pick<AgentRuntime, "abort" | "isActive" | "listModels" | "resolveModel">;
  /** The gateway's version, shown by `/status`. */
  version: string;
  now(): number;
}

/** One command call: the session it applies to and the text after the command name. */
export interface CommandInvocation {
  name: string;
  args: string;
  sessionKey: string;
  agentId: string;
}

export interface ChatCommand {
  name: string;
  aliases?: readonly string[];
  description: string;
  /** Argument hint shown by `/help` and native menus, e.g. `[model]`. */
  args?: string;
  /**
   * Acts at once, even while a turn of the same chat runs (`/stop`, `/status`); other commands wait for the
   * chat's earlier messages like any message.
   */
  immediate?: boolean;
  /** A session setting (`/model`, `/think`): from a sender not allowed to run commands it is plain text. */
  directive?: boolean;
  /** Starts a fresh session: allowed to authorised non-owners as well. */
  resetsSession?: boolean;
  run(invocation: CommandInvocation, services: CommandServices): Promise<CommandResult>;
}

/** The reply, and for `/new <text>` the text to run as a message in the fresh session. */
export type CommandResult = string | CommandOutcome;

export interface CommandOutcome {
  reply: string;
  followUp?: string;
}
