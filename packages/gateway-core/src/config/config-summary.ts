import type { OpenClawConfig } from "./config-schema.js";
import { listConfiguredAgents } from "./configured-agents.js";

/**
 * What a startup log line should say about the config, with no secret in it: credentials appear only as
 * "set"/"unset" (or as a SecretRef's source), never as values.
 */
export function summarizeConfigForLog(config: OpenClawConfig): Record<string, unknown> {
  const { gateway } = config;
  const describeSecret = (value: unknown) =>
    value === undefined
      ? "unset"
      : typeof value === "string"
        ? value.startsWith("${")
          ? "env-reference"
          : "set"
        : "secret-ref";
  return {
    mode: gateway.mode ?? "unset",
    port: gateway.port,
    bind: gateway.bind,
    ...(gateway.bind === "custom" ? { customBindHost: gateway.customBindHost } : {}),
    authMode: gateway.auth.mode ?? "inferred",
    token: describeSecret(gateway.auth.token),
    password: describeSecret(gateway.auth.password),
    scopes: gateway.auth.scopes ?? "all",
    tailscale: gateway.tailscale.mode,
    controlUi: gateway.controlUi.enabled,
    chatCompletions: gateway.http.endpoints.chatCompletions.enabled,
    responses: gateway.http.endpoints.responses.enabled,
    trustedProxies: gateway.trustedProxies.length,
    reload: gateway.reload.mode,
    agents: listConfiguredAgents(config).map((agent) => agent.id),
    dmScope: config.session.dmScope,
    logLevel: config.logging.level,
  };
}
