import type { PluginRegistry } from "../channels/index.js";
import type { Logger } from "../logging/logger.js";
import type { MethodRegistry } from "./method-registry.js";

/**
 * Serves the methods plugins registered: each is added to the method registry (so it is dispatched, scope-checked
 * and listed in `hello-ok.features.methods`) with a handler that sees only the narrow request context.
 */
export function registerPluginMethods(
  methods: MethodRegistry,
  plugins: PluginRegistry,
  logger: Logger,
): void {
  for (const [name, method] of plugins.methods()) {
    const methodLogger = logger.child({ component: "plugin-method", method: name });
    methods.register(name, {
      scope: method.scope,
      ...(method.params ? { params: method.params } : {}),
      handler: (params, request) =>
        method.handler(params, {
          connId: request.connId,
          scopes: request.scopes,
          clientAddress: request.clientAddress,
          logger: methodLogger.child({ connId: request.connId }),
        }),
    });
  }
}
