/** Config lookup, user preferences, usage status and wizard methods OpenClaw's clients call, with its shapes. */
export const MISC_COMPAT_CONTRACTS = {} as const;
