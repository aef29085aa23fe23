import { hostname } from "node:os";
import { describe, expect, it } from "vitest";
import { checkHostHeader, hostWithoutPort, isOriginAllowed } from "./host-policy.js";

const none = { allowedOrigins: [] };

describe("hostWithoutPort", () => {
  it("strips ports and IPv6 brackets", () => {
    expect(hostWithoutPort("127.0.0.1:18789")).toBe("127.0.0.1");
    expect(hostWithoutPort("[::1]:18789")).toBe("::1");
    expect(hostWithoutPort("::1")).toBe("::1");
    expect(hostWithoutPort("Gateway.Local.")).toBe("gateway.local");
  });
});

describe("checkHostHeader", () => {
  it("answers the machine's own names and any IP literal", () => {
    for (const host of ["127.0.0.1:18789", "localhost:1", "[::1]:2", "192.168.1.20:18789", "app.localhost"]) {
      expect(checkHostHeader(host, none).ok).toBe(true);
    }
    expect(checkHostHeader(`${hostname()}:18789`, none).ok).toBe(true);
    expect(checkHostHeader("box.local:18789", none).ok).toBe(true);
    expect(checkHostHeader("box.tail1234.ts.net", none).ok).toBe(true);
  });

  it("refuses a foreign name (a DNS-rebinding page) with 421 and says how to allow it", () => {
    const verdict = checkHostHeader("evil.example:18789", none);
    expect(verdict).toMatchObject({ ok: false, status: 421 });
    if (!verdict.ok) expect(verdict.reason).toContain("gateway.controlUi.allowedOrigins");
  });

  it("accepts names from allowedOrigins, extra hosts, a trusted proxy or the dangerous fallback", () => {
    expect(checkHostHeader("ui.example.com", { allowedOrigins: ["https://ui.example.com"] }).ok).toBe(true);
    expect(
      checkHostHeader("gw.example.com:443", { allowedOrigins: [], extraHosts: ["gw.example.com"] }).ok,
    ).toBe(true);
    expect(checkHostHeader("evil.example", none, true).ok).toBe(true);
    expect(
      checkHostHeader("evil.example", { allowedOrigins: [], dangerouslyAllowHostHeaderOriginFallback: true })
        .ok,
    ).toBe(true);
  });
});

describe("isOriginAllowed", () => {
  it("lets non-browser clients (no Origin) through", () => {
    expect(isOriginAllowed(undefined, "127.0.0.1:18789", none)).toBe(true);
  });

  it("accepts the gateway's own origin and listed origins only", () => {
    expect(isOriginAllowed("http://127.0.0.1:18789", "127.0.0.1:18789", none)).toBe(true);
    expect(isOriginAllowed("https://evil.example", "127.0.0.1:18789", none)).toBe(false);
    expect(
      isOriginAllowed("https://ui.example.com", "127.0.0.1:18789", {
        allowedOrigins: ["https://ui.example.com/"],
      }),
    ).toBe(true);
    expect(isOriginAllowed("http://127.0.0.1:9999", "127.0.0.1:18789", none)).toBe(false);
    expect(isOriginAllowed("null", "127.0.0.1:18789", none)).toBe(false);
    expect(isOriginAllowed("file://x", "x", none)).toBe(false);
  });

  it("does not trust an Origin equal to a Host the attacker chose (DNS rebinding)", () => {
    expect(isOriginAllowed("http://evil.example:18789", "evil.example:18789", none)).toBe(false);
    expect(
      isOriginAllowed("http://evil.example:18789", "evil.example:18789", {
        allowedOrigins: [],
        dangerouslyAllowHostHeaderOriginFallback: true,
      }),
    ).toBe(true);
  });
});
