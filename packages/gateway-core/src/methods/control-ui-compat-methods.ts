import type { CONTROL_UI_COMPAT_CONTRACTS } from "@openclaw/protocol";
import type { MethodHandlers } from "../runtime/method-registry.js";

/** Handlers for the methods OpenClaw's Control UI calls beyond the core families (see `CONTROL_UI_COMPAT_CONTRACTS`). */
export const controlUiCompatMethods: Pick<MethodHandlers, keyof typeof CONTROL_UI_COMPAT_CONTRACTS> = {};
