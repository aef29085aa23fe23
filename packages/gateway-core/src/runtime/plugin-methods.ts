import { assertPluginEventName, type GatewayMethodContext } from "@openclaw/plugin-sdk";
import type { PluginRegistry } from "../channels/index.js";
import type { Logger } from "../logging/logger.js";
import type { GatewayRuntime } from "./gateway-runtime.js";
import type { MethodRegistry, RequestContext } from "./method-registry.js";

/** Plugin events carry whatever the plugin reads: like chat frames, only read-scoped operators receive them. */
const PLUGIN_EVENT_SCOPE = "operator.read";

/**
 * Serves the methods plugins registered (`PluginRegistry.registerMethod`): each is added to the method registry,
 * so it is dispatched, scope-checked, its params parsed and it is listed in `hello-ok.features.methods`. Its
 * handler sees only a {@link GatewayMethodContext} built from the request, never the runtime.
 */
export function registerPluginMethods(
  methods: MethodRegistry,
  plugins: PluginRegistry,
  runtime: Pick<GatewayRuntime, "broadcast">,
  logger: Logger,
): void {
  for (const method of plugins.methods()) {
    const methodLogger = logger.child({ component: "plugin-method", method: method.name });
    methods.register(method.name, {
      scope: method.scope,
      params: method.params,
      ...(method.result ? { result: method.result } : {}),
      handler: (params, request) =>
        method.handler(params, pluginMethodContext(method.name, request, runtime, methodLogger)),
    });
  }
}

function pluginMethodContext(
  methodName: string,
  request: RequestContext,
  runtime: Pick<GatewayRuntime, "broadcast">,
  logger: Logger,
): GatewayMethodContext {
  return {
    connId: request.connId,
    scopes: request.scopes,
    clientAddress: request.clientAddress,
    logger: logger.child({ connId: request.connId }),
    ...(request.signal ? { signal: request.signal } : {}),
    emit(event, payload) {
      assertPluginEventName(methodName, event);
      runtime.broadcast(event, payload, PLUGIN_EVENT_SCOPE);
    },
  };
}
