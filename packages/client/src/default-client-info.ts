/** Replaced with this package's version at build time (tsup and vitest `define`). */
declare const __OPENCLAW_CLIENT_VERSION__: string;

/** A type alias, not an interface, so it fits `ConnectParams.client`'s open record. */
export type GatewayClientInfo = {
  id: string;
  displayName?: string;
  version: string;
  platform: string;
  mode: string;
  instanceId?: string;
};

/** Node reports `process.platform`; a browser has no `process`, so fall back to `navigator`. */
function detectPlatform(): string {
  if (typeof process !== "undefined" && typeof process.platform === "string") return process.platform;
  if (typeof navigator !== "undefined" && navigator.platform) return navigator.platform;
  return "unknown";
}

export function resolveClientInfo(overrides: Partial<GatewayClientInfo> = {}): GatewayClientInfo {
  const info: GatewayClientInfo = {
    id: overrides.id ?? "gateway-client",
    version: overrides.version ?? __OPENCLAW_CLIENT_VERSION__,
    platform: overrides.platform ?? detectPlatform(),
    mode: overrides.mode ?? "backend",
  };
  if (overrides.displayName !== undefined) info.displayName = overrides.displayName;
  if (overrides.instanceId !== undefined) info.instanceId = overrides.instanceId;
  return info;
}
