import { GATEWAY_EVENTS, isKnownMethod, METHOD_CONTRACTS } from "@openclaw/protocol";
import { PluginError } from "./plugin-error.js";

/** Dotted lowerCamel with at least two segments, `<namespace>.<name>`: `echo.stats`, `acmeChat.rooms.list`. */
export const GATEWAY_METHOD_NAME_PATTERN = /^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9]*)+$/;
export const GATEWAY_METHOD_NAME_MAX_LENGTH = 128;

/**
 * The first segments of the core methods and events (`sessions`, `chat`, `exec`, ...). A plugin may not use them:
 * a later core method of the same name would collide with it, and its events would pass for the core's.
 */
export const RESERVED_METHOD_NAMESPACES: ReadonlySet<string> = new Set(
  [...Object.keys(METHOD_CONTRACTS), ...GATEWAY_EVENTS].map(namespaceOf),
);

function namespaceOf(name: string): string {
  return name.split(".")[0] ?? name;
}

/** The namespace of a method name: its first segment (`echo` for `echo.stats`). */
export function gatewayMethodNamespace(methodName: string): string {
  return namespaceOf(methodName);
}

/** Why `name` cannot name a plugin method, or undefined when it can. Each reason says what to use instead. */
export function gatewayMethodNameProblem(name: string): string | undefined {
  if (name.length > GATEWAY_METHOD_NAME_MAX_LENGTH) {
    return `must be at most ${GATEWAY_METHOD_NAME_MAX_LENGTH} characters`;
  }
  if (!GATEWAY_METHOD_NAME_PATTERN.test(name)) {
    return 'must be dotted lowerCamel "<namespace>.<name>" such as "echo.stats" or "acmeChat.rooms.list"';
  }
  if (isKnownMethod(name)) {
    return `is a core gateway method: name the plugin's method under its own namespace, e.g. "myPlugin.${name.split(".").at(-1)}"`;
  }
  const namespace = namespaceOf(name);
  if (RESERVED_METHOD_NAMESPACES.has(namespace)) {
    return `uses the core namespace "${namespace}": name the method under the plugin's own namespace, e.g. "myPlugin.${name.slice(namespace.length + 1)}"`;
  }
  return undefined;
}

/**
 * Checks an event name a method handler passes to `context.emit`: it must be `<namespace>.<name>` in the namespace of
 * `methodName`. Throws {@link PluginError} `PLUGIN_METHOD_INVALID` naming the expected prefix. The gateway calls this
 * before it broadcasts, so a plugin cannot send an event that passes for another plugin's or the core's.
 */
export function assertPluginEventName(methodName: string, event: string): void {
  const prefix = `${gatewayMethodNamespace(methodName)}.`;
  if (event.startsWith(prefix) && GATEWAY_METHOD_NAME_PATTERN.test(event)) return;
  throw new PluginError(
    "PLUGIN_METHOD_INVALID",
    `gateway method "${methodName}" emitted event ${JSON.stringify(event)}: a plugin event must be named "${prefix}<name>" in lowerCamel, e.g. "${prefix}changed"`,
    { issues: [{ path: "event", message: `must start with "${prefix}"` }] },
  );
}
