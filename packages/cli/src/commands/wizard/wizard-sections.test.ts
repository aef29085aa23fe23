import { describe, expect, it } from "vitest";
import { summarizeChanges } from "./change-summary.js";
import { ConfigDraft } from "./config-draft.js";
import { findUnsafeSettings } from "./config-safety.js";
import { gatewaySection } from "./gateway-section.js";
import { modelsSection } from "./models-section.js";
import { WizardError } from "./wizard-error.js";
import type { Prompter, PromptOption } from "./wizard-prompter.js";
import { resolveSections, sectionsForFlags } from "./wizard-sections.js";

/** Answers prompts from a list in order and records what each select offered. */
function scriptedPrompter(answers: (string | boolean)[]) {
  const offered: Record<string, PromptOption<string>[]> = {};
  const next = (message: string) => {
    if (answers.length === 0) throw new Error(`no scripted answer left for "${message}"`);
    return answers.shift() as string | boolean;
  };
  const prompter: Prompter = {
    intro: () => undefined,
    outro: () => undefined,
    note: () => undefined,
    step: () => undefined,
    warn: () => undefined,
    select: async (o) => {
      offered[o.message] = o.options;
      return next(o.message) as typeof o.initialValue & string;
    },
    text: async (o) => {
      const value = String(next(o.message));
      const problem = o.validate?.(value);
      if (problem) throw new Error(`"${value}" rejected for "${o.message}": ${problem}`);
      return value;
    },
    password: async (o) => String(next(o.message)),
    confirm: async (o) => next(o.message) === true,
  };
  return { prompter, offered };
}

describe("gateway section", () => {
  it("does not offer sign-in 'none' once the gateway listens beyond loopback", async () => {
    const draft = new ConfigDraft({});
    const { prompter, offered } = scriptedPrompter(["18789", "lan", "token", "generate"]);
    await gatewaySection.ask(draft, prompter);
    const none = offered["How do clients sign in?"]?.find((option) => option.value === "none");
    expect(none?.disabled).toBe(true);
    expect(draft.get("gateway.auth.token")).toMatch(/^[0-9a-f]{64}$/);
    expect(draft.secretsToReveal()).toEqual([
      { label: "Gateway token", value: draft.get("gateway.auth.token") },
    ]);
  });

  it("switching to a password drops the token", () => {
    const draft = new ConfigDraft({ gateway: { auth: { mode: "token", token: "t".repeat(32) } } });
    gatewaySection.applyFlags(draft, { password: "correct horse" });
    expect(draft.get("gateway.auth")).toEqual({ mode: "password", password: "correct horse" });
  });

  it("rejects a bad port flag with the flag's name", () => {
    expect(() => gatewaySection.applyFlags(new ConfigDraft({}), { port: "70000" })).toThrow(/--port/);
  });
});

describe("models section flags", () => {
  it("writes the provider with the API the schema expects and the primary model", () => {
    const draft = new ConfigDraft({ agents: { defaults: { model: { fallbacks: ["x/y"] } } } });
    modelsSection.applyFlags(draft, { provider: "openai", apiKey: "sk-1" });
    expect(draft.get("models.providers.openai")).toMatchObject({ api: "openai-responses", apiKey: "sk-1" });
    expect(draft.get("agents.defaults.model")).toEqual({ fallbacks: ["x/y"], primary: "openai/gpt-4o-mini" });
  });

  it("refuses a base URL that is not one", () => {
    const draft = new ConfigDraft({});
    expect(() => modelsSection.applyFlags(draft, { provider: "openai-compatible", baseUrl: "nope" })).toThrow(
      WizardError,
    );
  });
});

describe("safety and summary", () => {
  it("finds the settings that would expose the gateway", () => {
    expect(
      findUnsafeSettings(new ConfigDraft({ gateway: { bind: "lan", auth: { mode: "none" } } })),
    ).toHaveLength(1);
    const funnel = new ConfigDraft({ gateway: { tailscale: { mode: "funnel" }, auth: { mode: "token" } } });
    expect(findUnsafeSettings(funnel)[0]).toContain("Funnel");
    const fine = new ConfigDraft({
      gateway: { tailscale: { mode: "funnel" }, auth: { password: "long enough" } },
    });
    expect(findUnsafeSettings(fine)).toEqual([]);
  });

  it("masks secrets but shows environment references", () => {
    const lines = summarizeChanges(
      { gateway: { auth: { token: "old-secret" } } },
      { gateway: { auth: { token: "new-secret" } }, models: { providers: { a: { apiKey: `\${A_KEY}` } } } },
    );
    expect(lines.join("\n")).not.toContain("secret");
    expect(lines).toContain(`models.providers.a.apiKey: "\${A_KEY}"`);
  });
});

describe("section selection", () => {
  it("accepts a channel's name and OpenClaw's singular 'model'", () => {
    expect(resolveSections(["telegram", "model"])).toMatchObject({
      sections: [{ id: "models" }, { id: "channels" }],
      channel: "telegram",
    });
  });

  it("names the section a stray flag belongs to", () => {
    const { sections } = resolveSections(["gateway"]);
    expect(() => sectionsForFlags(sections, { model: "x" })).toThrow(/--section models/);
  });
});
