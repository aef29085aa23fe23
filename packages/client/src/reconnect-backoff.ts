export interface ReconnectPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
  maxAttempts: number;
}

export const DEFAULT_RECONNECT_POLICY: ReconnectPolicy = {
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  maxAttempts: Number.POSITIVE_INFINITY,
};

export type ReconnectOption =
  | boolean
  | { initialDelayMs?: number; maxDelayMs?: number; maxAttempts?: number }
  | undefined;

/** `undefined` means "do not reconnect". */
export function resolveReconnectPolicy(option: ReconnectOption): ReconnectPolicy | undefined {
  if (option === undefined || option === false) return undefined;
  if (option === true) return DEFAULT_RECONNECT_POLICY;
  return {
    initialDelayMs: option.initialDelayMs ?? DEFAULT_RECONNECT_POLICY.initialDelayMs,
    maxDelayMs: option.maxDelayMs ?? DEFAULT_RECONNECT_POLICY.maxDelayMs,
    maxAttempts: option.maxAttempts ?? DEFAULT_RECONNECT_POLICY.maxAttempts,
  };
}

/**
 * Delay before reconnect attempt `attempt` (1-based): exponential, capped, with "equal jitter" (half fixed, half
 * random) so that many clients dropped by one gateway restart do not come back in the same millisecond.
 */
export function reconnectDelayMs(
  policy: ReconnectPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const exponential = policy.initialDelayMs * 2 ** Math.max(0, attempt - 1);
  const capped = Math.min(policy.maxDelayMs, exponential);
  return Math.round(capped / 2 + random() * (capped / 2));
}
