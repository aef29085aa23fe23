import { parseOnOff, type WizardSection } from "./wizard-section.js";

const ENDPOINTS = [
  { key: "chatCompletions", flag: "--chat-completions", path: "POST /v1/chat/completions" },
  { key: "responses", flag: "--responses", path: "POST /v1/responses" },
] as const;

/** `http`: the OpenAI-compatible endpoints, off unless asked for (they run agents with the gateway's credential). */
export const httpSection: WizardSection = {
  id: "http",
  title: "HTTP: OpenAI-compatible endpoints",
  flags: ["chatCompletions", "responses"],

  async ask(draft, prompter) {
    prompter.note(
      "Other tools can talk to your agents as if they were OpenAI models.\nBoth endpoints require the gateway token or password.",
      "OpenAI-compatible HTTP",
    );
    for (const endpoint of ENDPOINTS) {
      const path = `gateway.http.endpoints.${endpoint.key}.enabled`;
      const enabled = await prompter.confirm({
        message: `Enable ${endpoint.path}?`,
        initialValue: draft.get(path) === true,
      });
      draft.set(path, enabled);
    }
  },

  applyFlags(draft, flags) {
    for (const endpoint of ENDPOINTS) {
      const value = flags[endpoint.key];
      if (value !== undefined) {
        draft.set(`gateway.http.endpoints.${endpoint.key}.enabled`, parseOnOff(endpoint.flag, value));
      }
    }
  },
};
