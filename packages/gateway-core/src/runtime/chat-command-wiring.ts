import type { AgentRuntime } from "@openclaw/agent";
import type { SessionStore } from "@openclaw/sessions";
import { createReactionNotes, type InboundReactionHandler } from "../channels/inbound-reactions.js";
import { ChatCommands } from "../commands/index.js";
import type { Logger } from "../logging/logger.js";

/** In-chat commands (channels and the Control UI chat) and reaction notes, over the runtime's own services. */
export function createChatCommandWiring(o: {
  sessions: SessionStore;
  agent: AgentRuntime;
  config: () => Record<string, unknown>;
  version: string;
  logger: Logger;
  now: () => number;
}): { commands: ChatCommands; reactions: InboundReactionHandler } {
  const commands = new ChatCommands({
    services: { sessions: o.sessions, agent: o.agent, version: o.version, now: o.now },
    getConfig: o.config,
    logger: o.logger.child({ component: "commands" }),
  });
  const reactions = createReactionNotes({
    sink: { appendTranscript: (sessionKey, entry) => o.sessions.appendTranscript(sessionKey, entry) },
    now: o.now,
  });
  return { commands, reactions };
}
