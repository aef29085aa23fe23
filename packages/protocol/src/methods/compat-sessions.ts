/** Session methods OpenClaw's Control UI calls beyond the core families: their contracts, with OpenClaw's shapes. */
export const SESSIONS_COMPAT_CONTRACTS = {} as const;
