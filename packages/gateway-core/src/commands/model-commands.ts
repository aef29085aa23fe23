import { normalizeThinkingLevel, THINKING_LEVELS } from "@openclaw/agent";
import type { ChatCommand, CommandServices } from "./command-services.js";
import { currentModel, findModel, modelReasoning } from "./model-selection.js";

// One list of levels and spellings for the command and for the runs that apply them.
export { normalizeThinkingLevel, THINKING_LEVELS, type ThinkingLevel } from "@openclaw/agent";

const CLEAR_WORDS = new Set(["default", "inherit", "reset", "clear"]);
const MAX_LISTED_MODELS = 30;

export const thinkCommand: ChatCommand = {
  name: "think",
  aliases: ["thinking", "t"],
  description: "Set the thinking level for this session",
  args: "<level|default>",
  directive: true,
  run: async (invocation, services) => {
    const arg = invocation.args.toLowerCase();
    if (arg === "") {
      const row = await services.sessions.get(invocation.sessionKey);
      return `Current thinking level: ${row?.thinkingLevel ?? "default"}.\nUse /think <${THINKING_LEVELS.join("|")}>.`;
    }
    if (CLEAR_WORDS.has(arg)) {
      await services.sessions.patch(invocation.sessionKey, { thinkingLevel: null });
      return "Thinking level reset to default.";
    }
    const level = normalizeThinkingLevel(arg);
    if (!level)
      return `Invalid thinking level "${invocation.args}". Use one of: ${THINKING_LEVELS.join("|")}.`;
    await services.sessions.patch(invocation.sessionKey, { thinkingLevel: level });
    if (level === "off") return "Thinking level set to off.";
    const model = modelReasoning(invocation, services, await services.sessions.get(invocation.sessionKey));
    if (model?.reasoning !== false) return `Thinking level set to ${level}.`;
    return `Thinking level set to ${level}, but the current model (${model.ref}) does not reason, so its answers stay as they are; the level applies once this session uses a reasoning model.`;
  },
};

export const modelCommand: ChatCommand = {
  name: "model",
  description: "Show or choose this session's model",
  args: "[provider/model|default|list]",
  directive: true,
  run: async (invocation, services) => {
    const words = invocation.args.split(/\s+/).filter((word) => word !== "");
    if (words.some((word) => ["-a", "--agent", "-g", "--global"].includes(word))) {
      return "Only this session's model can be changed from chat: change agents.defaults.model (or the agent's model) in openclaw.json for everyone.";
    }
    const choice = words.filter((word) => word !== "-s" && word !== "--session").join(" ");
    if (choice === "" || choice === "status") {
      const row = await services.sessions.get(invocation.sessionKey);
      const model = currentModel(invocation, services, row);
      const origin = model.pinned ? "set for this session" : "the configured default";
      return `Current model: ${model.ref ?? "none configured"} (${origin}).\nUse /model <provider/model> to switch, /model default to go back, /model list to see the choices.`;
    }
    if (choice === "list") return modelList(services);
    if (choice === "default") {
      await services.sessions.patch(invocation.sessionKey, { model: null });
      const model = currentModel(invocation, services, undefined);
      return `Model reset to the configured default (${model.ref ?? "none configured"}).`;
    }
    const model = findModel(choice, services);
    if (!model) return `No configured model matches "${choice}". See /model list.`;
    await services.sessions.patch(invocation.sessionKey, { model: model.ref });
    const unavailable = model.available
      ? ""
      : " Its provider has no API key yet, so answers will fail until one is set.";
    return `Model set to ${model.ref} for this session.${unavailable}`;
  },
};

function modelList(services: CommandServices): string {
  const models = services.agent.listModels();
  if (models.length === 0)
    return "No models are configured: add a provider under models.providers in openclaw.json.";
  const lines = models
    .slice(0, MAX_LISTED_MODELS)
    .map((model) => `• ${model.provider}/${model.id}${model.available ? "" : " (no API key)"}`);
  if (models.length > MAX_LISTED_MODELS) lines.push(`… and ${models.length - MAX_LISTED_MODELS} more`);
  return `Models:\n${lines.join("\n")}`;
}
