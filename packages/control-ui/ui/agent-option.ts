import { h } from "./element-builder.js";

/** An agent as a `<select>` choice: `Ops (ops)` when it has a name, else its id. */
export function agentOption(agent: { id: string; name?: string | undefined }): HTMLOptionElement {
  return h("option", { value: agent.id }, agent.name ? `${agent.name} (${agent.id})` : agent.id);
}
