import type { CLI_COMPAT_CONTRACTS } from "@openclaw/protocol";
import type { MethodHandlers } from "../runtime/method-registry.js";

/** Handlers for the methods OpenClaw's CLI and TUI call beyond the core families (see `CLI_COMPAT_CONTRACTS`). */
export const cliCompatMethods: Pick<MethodHandlers, keyof typeof CLI_COMPAT_CONTRACTS> = {};
