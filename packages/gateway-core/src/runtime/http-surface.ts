import type { HostPolicy } from "../auth/host-policy.js";
import type { OpenClawConfig } from "../config/index.js";
import { resolveControlUiSite } from "./control-ui-site.js";
import type { GatewayRuntime } from "./gateway-runtime.js";
import type { GatewayRuntimeDeps } from "./gateway-runtime-deps.js";

/**
 * What the HTTP side serves, read from the current config on every call, with the start options winning: the
 * OpenAI-compatible endpoints, the Control UI's files and the Host/Origin policy.
 */
export function createHttpSurface(
  config: () => OpenClawConfig,
  deps: Pick<GatewayRuntimeDeps, "bind" | "http">,
): Pick<GatewayRuntime, "httpEndpoints" | "hostPolicy" | "controlUiSite"> {
  const http = deps.http ?? {};
  return {
    httpEndpoints: () => {
      const configured = config().gateway.http.endpoints;
      return {
        chatCompletions: {
          enabled: http.openAiChatCompletionsEnabled ?? configured.chatCompletions.enabled,
          maxBodyBytes: configured.chatCompletions.maxBodyBytes,
        },
        responses: {
          enabled: http.openResponsesEnabled ?? configured.responses.enabled,
          maxBodyBytes: configured.responses.maxBodyBytes,
        },
      };
    },
    hostPolicy: (): HostPolicy => {
      const controlUi = config().gateway.controlUi;
      return {
        allowedOrigins: controlUi?.allowedOrigins ?? [],
        extraHosts: [deps.bind.host, ...deps.bind.extraHosts()],
        dangerouslyAllowHostHeaderOriginFallback:
          controlUi?.dangerouslyAllowHostHeaderOriginFallback === true,
      };
    },
    controlUiSite: () =>
      resolveControlUiSite({
        config: config().gateway.controlUi,
        bundledRoot: http.controlUiRoot,
        enabledOverride: http.controlUiEnabled,
      }),
  };
}
