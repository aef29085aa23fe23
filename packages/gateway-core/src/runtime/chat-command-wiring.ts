import type { AgentRuntime } from "@openclaw/agent";
import type { SessionStore } from "@openclaw/sessions";
import { createReactionNotes, type InboundReactionHandler } from "../channels/inbound-reactions.js";
import { withSessionReset } from "../channels/inbound-session-reset.js";
import type { InboundCommandHandler } from "../channels/inbound-types.js";
import { ChatCommands } from "../commands/index.js";
import type { SessionConfig } from "../config/session-config-schema.js";
import type { Logger } from "../logging/logger.js";

/**
 * In-chat commands (channels and the Control UI chat) and reaction notes, over the runtime's own services; channel
 * messages (`inbound`) also pass the session reset policy (`session.reset*`, `session.resetTriggers`).
 */
export function createChatCommandWiring(o: {
  sessions: SessionStore;
  agent: AgentRuntime;
  config: () => Record<string, unknown>;
  version: string;
  logger: Logger;
  now: () => number;
}): { commands: ChatCommands; inbound: InboundCommandHandler; reactions: InboundReactionHandler } {
  const commands = new ChatCommands({
    services: { sessions: o.sessions, agent: o.agent, version: o.version, now: o.now },
    getConfig: o.config,
    logger: o.logger.child({ component: "commands" }),
  });
  const reactions = createReactionNotes({
    sink: { appendTranscript: (sessionKey, entry) => o.sessions.appendTranscript(sessionKey, entry) },
    now: o.now,
  });
  const inbound = withSessionReset(commands, {
    sessions: o.sessions,
    getSession: () => (o.config().session ?? {}) as SessionConfig,
    now: o.now,
  });
  return { commands, inbound, reactions };
}
