import type { ServerResponse } from "node:http";
import { listAgents } from "../methods/agents-methods.js";
import type { GatewayRuntime } from "../runtime/gateway-runtime.js";
import { sendOpenAiJson } from "./openai-http-support.js";

/** `GET /v1/models`: the agent targets (`openclaw`, `openclaw/<agentId>`) and the configured provider models. */
export function handleModels(response: ServerResponse, runtime: GatewayRuntime): void {
  const created = Math.floor(runtime.startedAt / 1000);
  const entry = (id: string, ownedBy: string) => ({ id, object: "model", created, owned_by: ownedBy });
  const data = [
    entry("openclaw", "openclaw"),
    entry("openclaw/default", "openclaw"),
    ...listAgents(runtime).map((agent) => entry(`openclaw/${agent.id}`, "openclaw")),
    ...runtime.chat.agent.listModels().map((model) => entry(`${model.provider}/${model.id}`, model.provider)),
  ];
  sendOpenAiJson(response, 200, { object: "list", data });
}
