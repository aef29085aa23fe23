/**
 * Browser WebSocket upgrades carry an `Origin`; non-browser clients usually send none. A browser page may only
 * connect from the gateway's own origin or one listed in `gateway.controlUi.allowedOrigins`, which stops a
 * foreign page from hijacking a local gateway through the user's browser (CVE-2026-25253).
 */
export function isOriginAllowed(
  origin: string | undefined,
  hostHeader: string | undefined,
  allowedOrigins: readonly string[],
): boolean {
  if (origin === undefined) return true;
  if (allowedOrigins.some((allowed) => allowed.replace(/\/+$/, "").toLowerCase() === origin.toLowerCase())) {
    return true;
  }
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return false;
  return hostHeader !== undefined && parsed.host.toLowerCase() === hostHeader.toLowerCase();
}
