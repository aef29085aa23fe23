import { describe, expect, it } from "vitest";
import { OpenClawConfigSchema } from "./config-schema.js";
import { findUnmodelledKeyReports, schemaAtPath } from "./config-schema-walk.js";
import {
  CONFIG_KEYS_READ_ELSEWHERE,
  findUnsupportedKey,
  patternSegments,
  readElsewhere,
  UNSUPPORTED_CONFIG_KEYS,
} from "./unsupported-keys.js";

/** A concrete path for a pattern: any key becomes "x", any array position 0. */
function concrete(pattern: string): string[] {
  return patternSegments(pattern).map((segment) =>
    segment === "*" ? "x" : segment === "[]" ? "0" : segment,
  );
}

describe("the unsupported-key catalogue", () => {
  it("names no key the schema models (a key the gateway now honours must leave the catalogue)", () => {
    const modelled = Object.keys(UNSUPPORTED_CONFIG_KEYS).filter(
      (pattern) => schemaAtPath(OpenClawConfigSchema, concrete(pattern)) !== undefined,
    );
    expect(modelled).toEqual([]);
  });

  it("names no key that code outside the schema reads", () => {
    const overlap = Object.keys(UNSUPPORTED_CONFIG_KEYS).filter(
      (pattern) => readElsewhere(concrete(pattern)) !== undefined,
    );
    expect(overlap).toEqual([]);
    expect(CONFIG_KEYS_READ_ELSEWHERE).toContain("agents.entries.*.thinkingDefault");
  });

  it("says what happens instead for every key, in words rather than a bare verdict", () => {
    for (const [pattern, instead] of Object.entries(UNSUPPORTED_CONFIG_KEYS)) {
      expect(instead.length, pattern).toBeGreaterThan(8);
      expect(instead, pattern).not.toMatch(/not (supported|implemented)/);
    }
  });

  it("matches any key for `*` and only array positions for `[]`", () => {
    expect(findUnsupportedKey(["agents", "entries", "ops", "sandbox"])).toMatch(/without a sandbox/);
    expect(findUnsupportedKey(["agents", "list", "3", "sandbox"])).toMatch(/without a sandbox/);
    expect(findUnsupportedKey(["agents", "list", "ops", "sandbox"])).toBeUndefined();
    expect(findUnsupportedKey(["agents", "defaults", "sandbox", "mode"])).toBeUndefined();
  });
});

describe("findUnmodelledKeyReports", () => {
  it("reports OpenClaw's agent keys in agents.defaults, keyed entries and the list, one line per key", () => {
    const reports = findUnmodelledKeyReports(
      {
        agents: {
          defaults: { verboseDefault: "on", thinkingDefault: "low", blockStreamingDefault: "on" },
          entries: {
            main: { fastModeDefault: true, groupChat: { mentionPatterns: ["@bot"], historyLimit: 5 } },
          },
          list: [{ id: "ops", humanDelay: { mode: "natural" }, reasoningDefault: "on" }],
        },
      },
      OpenClawConfigSchema,
    );
    expect(reports.map((report) => [report.path, report.kind])).toEqual([
      ["agents.defaults.verboseDefault", "unsupported"],
      ["agents.defaults.blockStreamingDefault", "unsupported"],
      ["agents.entries.main.fastModeDefault", "unsupported"],
      ["agents.entries.main.groupChat.historyLimit", "unsupported"],
      ["agents.list.0.reasoningDefault", "unsupported"],
    ]);
    expect(reports[0]?.message).toBe(
      "`agents.defaults.verboseDefault` is not supported by this gateway: tool calls are not echoed into replies",
    );
  });

  it("reports a whole unsupported section once, not each key inside it", () => {
    const reports = findUnmodelledKeyReports(
      { canvas: { enabled: true, host: { port: 1 } } },
      OpenClawConfigSchema,
    );
    expect(reports.map((report) => report.path)).toEqual(["canvas"]);
  });

  it("leaves a plugin's own keys to the plugin, but still names catalogued keys next to them", () => {
    const reports = findUnmodelledKeyReports(
      {
        plugins: { entries: { brave: { enabled: true, config: { webSearch: {} } } } },
        skills: { entries: { lab: { config: { a: 1 } } }, allowBundled: ["x"] },
      },
      OpenClawConfigSchema,
    );
    expect(reports.map((report) => report.path)).toEqual([
      "skills.entries.lab.config",
      "skills.allowBundled",
    ]);
  });

  it("names OpenClaw channel keys no adapter reads, per channel and per account, and leaves the rest to the plugin", () => {
    const reports = findUnmodelledKeyReports(
      {
        channels: {
          telegram: {
            botToken: "1:x",
            webhookUrl: "https://bot.example.com/tg",
            accounts: { alerts: { botToken: "2:y", historyLimit: 20, dmPolicy: "pairing" } },
          },
          slack: { botToken: "xoxb", channels: { "#general": { requireMention: true } }, slashCommand: {} },
        },
      },
      OpenClawConfigSchema,
    );
    expect(reports.map((report) => report.message)).toEqual([
      '`channels.telegram.webhookUrl` is not supported by this gateway: use mode: "webhook" with webhook.url; until then the bot polls',
      "`channels.telegram.accounts.alerts.historyLimit` is not supported by this gateway: unanswered group messages are not added to the agent's context",
      "`channels.slack.slashCommand` is not supported by this gateway: the app's commands are the built-in native commands",
    ]);
  });

  it("calls a key nobody knows a possible typo", () => {
    const [report] = findUnmodelledKeyReports({ sesion: { dmScope: "main" } }, OpenClawConfigSchema);
    expect(report).toEqual({
      path: "sesion",
      kind: "unknown",
      message: "`sesion` is not a setting this gateway knows and is ignored (check the spelling)",
    });
  });
});
