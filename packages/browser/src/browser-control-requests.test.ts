import { describe, expect, it } from "vitest";
import { createBrowserControl } from "./browser-control.js";

// Requests answered before any browser starts: each refusal carries its code and names the fix.
function controlWith(settings: unknown) {
  return createBrowserControl({
    stateDir: "/nonexistent-state",
    settings: () => settings,
    env: { PATH: "" },
  });
}

describe("browser control requests that launch nothing", () => {
  it("refuses everything while browser.enabled is false", async () => {
    const answer = await controlWith({ enabled: false }).request({ method: "GET", path: "/tabs" });
    expect(answer).toMatchObject({ status: 503, body: { code: "BROWSER_DISABLED" } });
    expect(String(answer.body.error)).toContain("browser.enabled");
  });

  it("names unknown profiles, routes and missing fields", async () => {
    const control = controlWith({ profiles: { work: {} } });
    const profile = await control.request({ method: "GET", path: "/", query: { profile: "nope" } });
    expect(profile).toMatchObject({ status: 404, body: { code: "PROFILE_UNKNOWN" } });
    expect(String(profile.body.error)).toContain("openclaw, work");
    const route = await control.request({ method: "POST", path: "/cookies/set" });
    expect(route).toMatchObject({ status: 404, body: { code: "ROUTE_NOT_FOUND" } });
    const url = await control.request({ method: "POST", path: "/tabs/open", body: {} });
    expect(url).toMatchObject({ status: 400, body: { code: "INVALID_REQUEST", error: "url is required" } });
    const act = await control.request({ method: "POST", path: "/act", body: { kind: "evaluate" } });
    expect(act).toMatchObject({ status: 400, body: { code: "INVALID_REQUEST" } });
  });

  it("reports status without starting a browser, and a missing binary when one must start", async () => {
    const control = controlWith({});
    const status = await control.request({ method: "GET", path: "/" });
    expect(status.body).toMatchObject({
      running: false,
      pid: null,
      cdpPort: null,
      profile: "openclaw",
      headless: true,
    });
    expect(String(status.body.detectError)).toContain("apt-get install chromium");
    const start = await control.request({ method: "POST", path: "/start" });
    expect(start).toMatchObject({ status: 503, body: { code: "BROWSER_NOT_FOUND" } });
  });

  it("rejects a config section of the wrong shape with the reason", async () => {
    const answer = await controlWith({ headless: "yes" }).request({ method: "GET", path: "/" });
    expect(answer).toMatchObject({ status: 400, body: { code: "INVALID_REQUEST" } });
    expect(String(answer.body.error)).toContain("browser.headless");
  });
});
