import { type HostLookup, resolvePermittedAddress, systemHostLookup } from "@openclaw/tools";
import { BrowserError } from "./browser-error.js";
import type { BrowserSsrfPolicy } from "./browser-settings.js";

/** Schemes a page may load without a network check: they reach no host. */
const LOCAL_SCHEMES = new Set(["about:", "data:", "blob:"]);
const NETWORK_SCHEMES = new Set(["http:", "https:", "ws:", "wss:"]);
const POLICY_KEY = "browser.ssrfPolicy";

export interface NavigationGuard {
  /** Throws NAVIGATION_BLOCKED when the browser may not load `url`. */
  check(url: string, signal?: AbortSignal): Promise<void>;
}

/**
 * The `web_fetch` address policy applied to the browser: a URL whose host is (or resolves to) a private, loopback or
 * link-local address is refused unless `browser.ssrfPolicy` allows it. Checked before a navigation and, through a
 * Playwright route on the whole context, for every request the page makes (redirect targets, subresources, frames).
 * It is not a firewall: Chromium resolves the name again itself, so a DNS answer that changes in between is not seen.
 */
export function createNavigationGuard(
  policy: () => BrowserSsrfPolicy | undefined,
  lookup: HostLookup = systemHostLookup,
): NavigationGuard {
  return {
    async check(url, signal) {
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        throw new BrowserError("INVALID_REQUEST", `not a URL: ${JSON.stringify(url.slice(0, 200))}`);
      }
      if (LOCAL_SCHEMES.has(parsed.protocol)) return;
      if (!NETWORK_SCHEMES.has(parsed.protocol)) {
        throw new BrowserError(
          "NAVIGATION_BLOCKED",
          `refused to open ${parsed.protocol} URLs: the browser only loads http(s) pages`,
        );
      }
      const current = policy() ?? {};
      try {
        await resolvePermittedAddress(parsed, {
          policy: {
            ...current,
            dangerouslyAllowPrivateNetwork:
              current.dangerouslyAllowPrivateNetwork === true || current.allowPrivateNetwork === true,
          },
          policyKey: POLICY_KEY,
          lookup,
          signal: signal ?? new AbortController().signal,
        });
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (code === "BLOCKED_ADDRESS") {
          throw new BrowserError("NAVIGATION_BLOCKED", (error as Error).message, { cause: error });
        }
        throw error;
      }
    },
  };
}
