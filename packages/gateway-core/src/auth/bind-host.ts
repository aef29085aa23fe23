import { networkInterfaces } from "node:os";

export type BindMode = "loopback" | "lan" | "tailnet" | "auto" | "custom";

export class BindError extends Error {
  override readonly name = "BindError";
  readonly code: "BIND_UNSAFE" | "BIND_INVALID";
  constructor(code: "BIND_UNSAFE" | "BIND_INVALID", message: string) {
    super(message);
    this.code = code;
  }
}

/** Tailscale hands out addresses from the CGNAT range 100.64.0.0/10. */
export function findTailnetAddress(): string | undefined {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const info of addresses ?? []) {
      if (info.family !== "IPv4" || info.internal) continue;
      const [a, b] = info.address.split(".").map(Number);
      if (a === 100 && b !== undefined && b >= 64 && b <= 127) return info.address;
    }
  }
  return undefined;
}

export function isLoopbackHost(host: string): boolean {
  return host === "127.0.0.1" || host === "::1" || host === "localhost" || host.startsWith("127.");
}

/** Maps a bind mode to the host to listen on. `auto` prefers a Tailscale address and falls back to loopback. */
export function resolveBindHost(mode: BindMode, customBindHost?: string): string {
  switch (mode) {
    case "loopback":
      return "127.0.0.1";
    case "lan":
      return "0.0.0.0";
    case "tailnet":
    case "auto":
      return findTailnetAddress() ?? "127.0.0.1";
    case "custom":
      if (!customBindHost) {
        throw new BindError(
          "BIND_INVALID",
          'gateway.bind is "custom" but gateway.customBindHost is not set: run `openclaw config set gateway.customBindHost 192.168.1.10`',
        );
      }
      return customBindHost;
  }
}

/** Refuses to listen beyond loopback when nobody has to authenticate. */
export function assertSafeBind(host: string, authMode: "token" | "password" | "none"): void {
  if (authMode !== "none" || isLoopbackHost(host)) return;
  throw new BindError(
    "BIND_UNSAFE",
    `refusing to listen on ${host} without authentication: set gateway.auth.mode to "token" or "password" (or bind to loopback)`,
  );
}
