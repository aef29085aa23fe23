import type { SESSIONS_COMPAT_CONTRACTS } from "@openclaw/protocol";
import type { MethodHandlers } from "../runtime/method-registry.js";

/** Handlers for `SESSIONS_COMPAT_CONTRACTS`. */
export const sessionsCompatMethods: Pick<MethodHandlers, keyof typeof SESSIONS_COMPAT_CONTRACTS> = {};
