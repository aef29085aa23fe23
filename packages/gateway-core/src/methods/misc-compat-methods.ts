import type { MISC_COMPAT_CONTRACTS } from "@openclaw/protocol";
import type { MethodHandlers } from "../runtime/method-registry.js";

/** Handlers for `MISC_COMPAT_CONTRACTS`. */
export const miscCompatMethods: Pick<MethodHandlers, keyof typeof MISC_COMPAT_CONTRACTS> = {};
