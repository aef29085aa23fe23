/**
 * Methods OpenClaw's own Control UI calls, beyond the core families: their contracts, with OpenClaw's shapes.
 */
export const CONTROL_UI_COMPAT_CONTRACTS = {} as const;
