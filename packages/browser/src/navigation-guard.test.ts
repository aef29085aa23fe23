import { describe, expect, it } from "vitest";
import { createNavigationGuard } from "./navigation-guard.js";

const publicDns = async () => [{ address: "93.184.216.34", family: 4 as const }];

describe("the browser navigation guard", () => {
  it("refuses loopback, private and non-http URLs by default and names the config key", async () => {
    const guard = createNavigationGuard(() => undefined, publicDns);
    await expect(guard.check("http://127.0.0.1:8080/")).rejects.toMatchObject({ code: "NAVIGATION_BLOCKED" });
    await expect(guard.check("http://10.0.0.5/")).rejects.toThrow(/browser\.ssrfPolicy/);
    await expect(guard.check("http://localhost/")).rejects.toMatchObject({ code: "NAVIGATION_BLOCKED" });
    await expect(guard.check("file:///etc/passwd")).rejects.toMatchObject({ code: "NAVIGATION_BLOCKED" });
    await expect(guard.check("https://example.com/")).resolves.toBeUndefined();
    await expect(guard.check("about:blank")).resolves.toBeUndefined();
  });

  it("allows a listed host, or every private one with the legacy allowPrivateNetwork alias", async () => {
    const listed = createNavigationGuard(() => ({ allowedHostnames: ["127.0.0.1"] }), publicDns);
    await expect(listed.check("http://127.0.0.1/")).resolves.toBeUndefined();
    await expect(listed.check("http://10.0.0.5/")).rejects.toMatchObject({ code: "NAVIGATION_BLOCKED" });
    const open = createNavigationGuard(() => ({ allowPrivateNetwork: true }), publicDns);
    await expect(open.check("http://10.0.0.5/")).resolves.toBeUndefined();
  });
});
