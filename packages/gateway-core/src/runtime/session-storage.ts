import { createFileSessionStore, type SessionStore } from "@openclaw/sessions";
import type { Logger } from "../logging/logger.js";

/** Opens the session store the runtime serves. */
export async function openSessionStore(o: { stateDir: string; logger: Logger }): Promise<SessionStore> {
  return createFileSessionStore({ stateDir: o.stateDir, logger: o.logger.child({ component: "sessions" }) });
}
