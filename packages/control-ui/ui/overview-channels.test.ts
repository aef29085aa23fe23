import { describe, expect, it } from "vitest";
import { overviewChannels } from "./overview-channels.js";

const PLUGINS = [
  { id: "telegram", name: "Telegram", kind: ["channel"] },
  { id: "slack", name: "Slack", kind: ["channel"] },
  { id: "memory", name: "Memory", kind: ["memory"] },
];

describe("overviewChannels", () => {
  it("counts no channel as present when none is configured, and lists the registered kinds as available", () => {
    expect(overviewChannels([], PLUGINS)).toEqual({
      present: "none configured",
      available: "Telegram, Slack (not configured; add one with: openclaw config --section channels)",
    });
  });

  it("keeps a configured channel out of the available list", () => {
    expect(overviewChannels(["telegram"], PLUGINS)).toEqual({
      present: "telegram",
      available: "Slack (not configured; add one with: openclaw config --section channels)",
    });
    expect(overviewChannels(["telegram", "slack"], PLUGINS).available).toBe("");
  });

  it("shows no available list when the plugin list could not be read", () => {
    expect(overviewChannels([], undefined)).toEqual({ present: "none configured", available: "" });
  });
});
