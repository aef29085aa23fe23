import type { HealthResult, PresenceEntry } from "@openclaw/protocol";
import type { SessionStore } from "@openclaw/sessions";
import type { AuthRateLimiter } from "../auth/auth-rate-limiter.js";
import type { GatewayCredential } from "../auth/verify-credential.js";
import type { Logger } from "../logging/logger.js";
import type { GatewayConfigState } from "./config-state.js";
import type { PresenceRegistry } from "./presence-registry.js";

export interface BindInfo {
  mode: string;
  host: string;
  port: number;
}

/** Everything a method handler may touch. One per running gateway. */
export interface GatewayRuntime {
  readonly version: string;
  readonly startedAt: number;
  readonly configState: GatewayConfigState;
  readonly sessions: SessionStore;
  readonly logger: Logger;
  readonly logFile: string;
  readonly presence: PresenceRegistry;
  readonly rateLimiter: AuthRateLimiter;
  readonly bind: BindInfo;
  /** Resolves the credential fresh on every call: a rotated token takes effect at once. */
  resolveCredential(): Promise<GatewayCredential>;
  /** The scopes the shared credential grants (config `gateway.auth.scopes`, every operator scope by default). */
  credentialScopes(): readonly string[];
  connectionCount(): number;
  channelIds(): string[];
  healthSnapshot(): Promise<HealthResult>;
  presenceEntries(): PresenceEntry[];
  broadcast(event: string, payload: unknown): void;
}
