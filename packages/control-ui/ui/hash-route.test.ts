import { describe, expect, it } from "vitest";
import { parseHash, routeHash } from "./hash-route.js";

describe("hash routes", () => {
  it("parses screens and falls back to the overview", () => {
    expect(parseHash("")).toEqual({ screen: "overview" });
    expect(parseHash("#/logs")).toEqual({ screen: "logs" });
    expect(parseHash("#/approvals")).toEqual({ screen: "approvals" });
    expect(parseHash("#/nope/x")).toEqual({ screen: "overview" });
    expect(parseHash("#/chat/")).toEqual({ screen: "chat" });
    expect(parseHash("#/workspace/ops")).toEqual({ screen: "workspace", param: "ops" });
  });

  it("round-trips a parameter with reserved characters", () => {
    const route = { screen: "chat" as const, param: "agent:main:telegram/group 1" };
    expect(routeHash(route)).toBe("#/chat/agent%3Amain%3Atelegram%2Fgroup%201");
    expect(parseHash(routeHash(route))).toEqual(route);
  });

  it("ignores a malformed escape", () => {
    expect(parseHash("#/sessions/%E0%A4%A")).toEqual({ screen: "sessions" });
  });
});
