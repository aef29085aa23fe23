import { describe, expect, it } from "vitest";
import { isOriginAllowed } from "./origin-check.js";

describe("isOriginAllowed", () => {
  it("lets non-browser clients (no Origin) through", () => {
    expect(isOriginAllowed(undefined, "127.0.0.1:18789", [])).toBe(true);
  });

  it("accepts the gateway's own origin and listed origins only", () => {
    expect(isOriginAllowed("http://127.0.0.1:18789", "127.0.0.1:18789", [])).toBe(true);
    expect(isOriginAllowed("https://evil.example", "127.0.0.1:18789", [])).toBe(false);
    expect(isOriginAllowed("https://ui.example.com", "127.0.0.1:18789", ["https://ui.example.com/"])).toBe(
      true,
    );
    expect(isOriginAllowed("http://127.0.0.1:9999", "127.0.0.1:18789", [])).toBe(false);
    expect(isOriginAllowed("null", "127.0.0.1:18789", [])).toBe(false);
    expect(isOriginAllowed("file://x", "x", [])).toBe(false);
  });
});
