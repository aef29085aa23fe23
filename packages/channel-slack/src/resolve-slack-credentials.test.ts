import { describe, expect, it } from "vitest";
import { resolveSlackCredentials } from "./resolve-slack-credentials.js";
import { SlackConfigSchema } from "./slack-config.js";

describe("resolveSlackCredentials", () => {
  const env = {
    SLACK_BOT_TOKEN: "xoxb-env",
    SLACK_APP_TOKEN: "xapp-env",
    SLACK_SIGNING_SECRET: "env-secret",
  };

  it("prefers config over the environment, which only the default account may use", () => {
    const socket = SlackConfigSchema.parse({ botToken: "xoxb-config" });
    expect(resolveSlackCredentials(socket, "default", env)).toEqual({
      botToken: "xoxb-config",
      appToken: "xapp-env",
    });
    expect(() => resolveSlackCredentials(socket, "work", env)).toThrow(
      expect.objectContaining({
        code: "SLACK_TOKEN_MISSING",
        message: expect.stringContaining("openclaw config set channels.slack.accounts.work.appToken"),
      }),
    );
    const http = SlackConfigSchema.parse({ mode: "http" });
    expect(resolveSlackCredentials(http, "default", env)).toEqual({
      botToken: "xoxb-env",
      signingSecret: "env-secret",
    });
  });
});

describe("SlackConfigSchema", () => {
  it("fills defaults and tolerates the gateway's access-policy keys", () => {
    const config = SlackConfigSchema.parse({
      botToken: "xoxb-1",
      dmPolicy: "pairing",
      allowFrom: ["U1"],
      groupPolicy: "allowlist",
      channels: { C1: { requireMention: true } },
      accounts: undefined,
      extra: 1,
    });
    expect(config).toMatchObject({
      mode: "socket",
      apiUrl: "https://slack.com/api/",
      webhookPath: "/slack/events",
      http: { host: "127.0.0.1", port: 3000 },
      textFormat: "mrkdwn",
    });
  });

  it("rejects swapped tokens and an apiUrl without its trailing slash", () => {
    const swapped = SlackConfigSchema.safeParse({ botToken: "xapp-1", appToken: "xoxb-1" });
    expect(swapped.error?.issues.map((issue) => issue.path.join("."))).toEqual(["botToken", "appToken"]);
    expect(SlackConfigSchema.safeParse({ apiUrl: "https://slack.com/api" }).success).toBe(false);
  });
});
