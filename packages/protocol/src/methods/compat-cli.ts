/**
 * Methods OpenClaw's own CLI and TUI call, beyond the core families and the Control UI's: their contracts, with
 * OpenClaw's shapes.
 */
export const CLI_COMPAT_CONTRACTS = {} as const;
