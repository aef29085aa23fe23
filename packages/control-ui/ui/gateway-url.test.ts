import { describe, expect, it } from "vitest";
import { gatewayUrlFromLocation } from "./gateway-url.js";

describe("gatewayUrlFromLocation", () => {
  it("uses ws: under http: and the page's directory", () => {
    expect(gatewayUrlFromLocation({ protocol: "http:", host: "127.0.0.1:18789", pathname: "/" })).toBe(
      "ws://127.0.0.1:18789/",
    );
    expect(
      gatewayUrlFromLocation({
        protocol: "http:",
        host: "127.0.0.1:18789",
        pathname: "/openclaw/index.html",
      }),
    ).toBe("ws://127.0.0.1:18789/openclaw/");
  });

  it("uses wss: under https:", () => {
    expect(
      gatewayUrlFromLocation({ protocol: "https:", host: "gw.example.com", pathname: "/openclaw/" }),
    ).toBe("wss://gw.example.com/openclaw/");
  });
});
