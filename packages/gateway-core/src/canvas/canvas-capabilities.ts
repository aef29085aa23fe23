import { randomBytes, timingSafeEqual } from "node:crypto";

/** OpenClaw's default lifetime of a plugin-surface capability URL (10 minutes). */
export const CANVAS_CAPABILITY_TTL_MS = 600_000;
/** Live capabilities kept at once; minting one more drops the oldest. */
export const MAX_CANVAS_CAPABILITIES = 256;

/**
 * Short-lived secrets that stand in for gateway auth on canvas URLs (`/__openclaw__/cap/<capability>/...`): a web
 * view or an iframe cannot send an Authorization header. Minted for an authenticated client (`plugin.surface.refresh`),
 * never logged, compared in constant time, forgotten when they expire.
 */
export class CanvasCapabilities {
  readonly #live = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  mint(): { capability: string; expiresAtMs: number } {
    this.#sweep();
    while (this.#live.size >= MAX_CANVAS_CAPABILITIES) {
      const oldest = this.#live.keys().next().value;
      if (oldest === undefined) break;
      this.#live.delete(oldest);
    }
    const capability = randomBytes(18).toString("base64url");
    const expiresAtMs = this.now() + CANVAS_CAPABILITY_TTL_MS;
    this.#live.set(capability, expiresAtMs);
    return { capability, expiresAtMs };
  }

  /** Whether `presented` is a capability that has not expired. */
  verify(presented: string): boolean {
    if (!/^[\w-]{16,64}$/.test(presented)) return false;
    const now = this.now();
    const wanted = Buffer.from(presented);
    for (const [capability, expiresAtMs] of this.#live) {
      const candidate = Buffer.from(capability);
      if (candidate.length === wanted.length && timingSafeEqual(candidate, wanted)) return expiresAtMs > now;
    }
    return false;
  }

  #sweep(): void {
    const now = this.now();
    for (const [capability, expiresAtMs] of this.#live) {
      if (expiresAtMs <= now) this.#live.delete(capability);
    }
  }
}
