import type { SessionStoreRow } from "@openclaw/sessions";
import type { ChatCommand, CommandInvocation, CommandServices } from "./command-services.js";
import { currentModel, findModel } from "./model-selection.js";

export const newCommand: ChatCommand = {
  name: "new",
  description: "Start a fresh session (optionally on another model)",
  args: "[model]",
  resetsSession: true,
  // OpenClaw: the arguments name a model, or a model then a message; text that names no model is the message.
  run: async (invocation, services) => {
    await services.sessions.reset(invocation.sessionKey, { reason: "new" });
    const args = invocation.args;
    if (args === "") return "✅ New session started.";
    const [first = "", ...rest] = args.split(/\s+/);
    const whole = findModel(args, services);
    const leading = whole ? undefined : findModel(first, services);
    const model = whole ?? leading;
    const followUp = whole ? "" : leading ? rest.join(" ") : args;
    if (model) await services.sessions.patch(invocation.sessionKey, { model: model.ref });
    const reply = model ? `✅ New session started on ${model.ref}.` : "✅ New session started.";
    return followUp === "" ? reply : { reply, followUp };
  },
};

export const resetCommand: ChatCommand = {
  name: "reset",
  description: "Reset this session: empty history, settings kept",
  resetsSession: true,
  run: async (invocation, services) => {
    await services.sessions.reset(invocation.sessionKey, { reason: "reset" });
    return "✅ Session reset.";
  },
};

export const stopCommand: ChatCommand = {
  name: "stop",
  description: "Stop the running answer",
  immediate: true,
  run: async (invocation, services) => {
    const stopped = services.agent.abort({ sessionKey: invocation.sessionKey });
    if (stopped === 0) return "⚙️ Nothing to stop: no answer is running in this session.";
    return stopped === 1 ? "⚙️ Stopped." : `⚙️ Stopped (${stopped} runs, queued ones included).`;
  },
};

export const statusCommand: ChatCommand = {
  name: "status",
  aliases: ["agentstatus"],
  description: "Show the model, tokens and session",
  immediate: true,
  run: async (invocation, services) =>
    statusText(invocation, services, await services.sessions.get(invocation.sessionKey)),
};

function statusText(
  invocation: CommandInvocation,
  services: CommandServices,
  row: SessionStoreRow | undefined,
): string {
  const model = currentModel(invocation, services, row);
  const listing = services.agent.listModels().find((entry) => `${entry.provider}/${entry.id}` === model.ref);
  const lines = [`🦞 OpenClaw Gateway ${services.version}`];
  lines.push(`🧠 Model: ${model.ref ?? "none configured"}${model.pinned ? " (set for this session)" : ""}`);
  const used = row?.totalTokens ?? sum(row?.inputTokens, row?.outputTokens);
  if (used !== undefined) {
    const split =
      row?.inputTokens !== undefined || row?.outputTokens !== undefined
        ? ` (${compact(row?.inputTokens ?? 0)} in / ${compact(row?.outputTokens ?? 0)} out)`
        : "";
    const window = listing?.contextWindow;
    const share = window
      ? ` · context ${compact(used)}/${compact(window)} (${Math.round((used / window) * 100)}%)`
      : "";
    lines.push(`🧮 Tokens: ${compact(used)}${split}${share}`);
  } else {
    lines.push("🧮 Tokens: none used yet");
  }
  const sessionId = row?.sessionId ? ` · id ${row.sessionId}` : "";
  const messages = row ? ` · ${row.messageCount} messages` : " · not started";
  lines.push(`🧵 Session: ${invocation.sessionKey}${sessionId}${messages}`);
  const run = services.agent.isActive(invocation.sessionKey) ? "running" : "idle";
  lines.push(`⚙️ Run: ${run} · Think: ${row?.thinkingLevel ?? "default"}`);
  return lines.join("\n");
}

function sum(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined && b === undefined ? undefined : (a ?? 0) + (b ?? 0);
}

function compact(value: number): string {
  if (value < 1_000) return String(value);
  if (value < 1_000_000) return `${(value / 1_000).toFixed(value < 10_000 ? 1 : 0)}k`;
  return `${(value / 1_000_000).toFixed(1)}M`;
}
