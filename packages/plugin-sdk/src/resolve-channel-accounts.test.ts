import { describe, expect, it } from "vitest";
import { PluginError } from "./plugin-error.js";
import { resolveChannelAccounts } from "./resolve-channel-accounts.js";

describe("resolveChannelAccounts", () => {
  it("treats a section without accounts as the account default", () => {
    const section = { enabled: true, botToken: "123:abc", dmPolicy: "pairing" };

    expect(resolveChannelAccounts(section)).toEqual([{ accountId: "default", config: section }]);
  });

  it("treats an empty accounts object as the account default, without the accounts key", () => {
    expect(resolveChannelAccounts({ botToken: "t", accounts: {} })).toEqual([
      { accountId: "default", config: { botToken: "t" } },
    ]);
  });

  it("overlays each account on the section, one level deep", () => {
    const section = {
      dmPolicy: "pairing",
      allowFrom: ["1"],
      groups: { "-100": { requireMention: true } },
      accounts: {
        work: { botToken: "work-token", allowFrom: ["2"] },
        home: { botToken: "home-token", groups: { "-200": {} } },
      },
    };

    expect(resolveChannelAccounts(section)).toEqual([
      {
        accountId: "work",
        config: {
          dmPolicy: "pairing",
          allowFrom: ["2"],
          groups: { "-100": { requireMention: true } },
          botToken: "work-token",
        },
      },
      {
        accountId: "home",
        config: { dmPolicy: "pairing", allowFrom: ["1"], groups: { "-200": {} }, botToken: "home-token" },
      },
    ]);
  });

  it("keeps a disabled account in the list", () => {
    const accounts = resolveChannelAccounts({ enabled: true, accounts: { off: { enabled: false }, on: {} } });

    expect(accounts.map((account) => [account.accountId, account.config.enabled])).toEqual([
      ["off", false],
      ["on", true],
    ]);
  });

  it("does not share or mutate the section's objects between accounts", () => {
    const section = { accounts: { a: { x: 1 }, b: { x: 2 } } };

    const [first, second] = resolveChannelAccounts(section);
    if (first === undefined || second === undefined) throw new Error("expected two accounts");
    first.config.y = 1;

    expect(second.config).toEqual({ x: 2 });
    expect(section).toEqual({ accounts: { a: { x: 1 }, b: { x: 2 } } });
  });

  it("yields no accounts for a missing section", () => {
    expect(resolveChannelAccounts(undefined)).toEqual([]);
    expect(resolveChannelAccounts(null)).toEqual([]);
  });

  it.each([
    ["a string section", "token", /section must be an object, got string/],
    ["an array section", [], /got an array/],
    ["accounts as an array", { accounts: [{}] }, /accounts must be an object keyed by account id/],
    ["an account that is not an object", { accounts: { work: true } }, /accounts\.work must be an object/],
  ])("refuses %s with PLUGIN_CONFIG_INVALID", (_label, section, message) => {
    expect(() => resolveChannelAccounts(section)).toThrow(message);
    expect(() => resolveChannelAccounts(section)).toThrow(PluginError);
  });
});
