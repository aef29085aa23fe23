import { describe, expect, it } from "vitest";
import { summarizeChanges } from "./change-summary.js";

describe("the wizard's change summary hides what config get redacts", () => {
  it("hides channel tokens, provider keys and inline env vars under any name", () => {
    const lines = summarizeChanges(
      { channels: { slack: { botToken: "xoxb-old-secret" } } },
      {
        channels: {
          slack: { botToken: "xoxb-new-secret", appToken: "xapp-secret", signingSecret: "sign-secret" },
        },
        models: { providers: { ollama: { apiKey: "sk-secret", baseUrl: "http://127.0.0.1:11434/v1" } } },
        env: { vars: { SOME_SERVICE: "env-secret" } },
      },
    );
    expect(lines.join("\n")).not.toMatch(/secret/);
    expect(lines).toContain("channels.slack.botToken: •••••••• (hidden) → •••••••• (hidden)");
    expect(lines).toContain("env.vars.SOME_SERVICE: •••••••• (hidden)");
    expect(lines).toContain('models.providers.ollama.baseUrl: "http://127.0.0.1:11434/v1"');
  });

  it("shows a SecretRef, which names where the secret lives without revealing it", () => {
    const lines = summarizeChanges({}, { gateway: { auth: { token: { source: "env", id: "GW_TOKEN" } } } });
    expect(lines).toEqual(['gateway.auth.token.source: "env"', 'gateway.auth.token.id: "GW_TOKEN"']);
  });
});
