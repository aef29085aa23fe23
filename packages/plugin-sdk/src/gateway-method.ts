import { OPERATOR_SCOPES, type OperatorScope } from "@openclaw/protocol";
import { z } from "zod";
import type { GatewayMethodContext } from "./gateway-method-context.js";
import { gatewayMethodNameProblem } from "./gateway-method-name.js";
import { PluginError, type PluginIssue } from "./plugin-error.js";

/**
 * The version of the gateway method contract this SDK defines. A method may state it in `apiVersion` (absent means
 * 1, the version that introduced methods); the gateway refuses any other. Like {@link CHANNEL_PLUGIN_API_VERSION}, it
 * goes up only for a breaking change of `GatewayMethod`; additive, optional members keep it.
 */
export const GATEWAY_METHOD_API_VERSION = 1;

/**
 * Version 1 of the contract for a gateway method a plugin adds: a WebSocket request `{ method: name, params }` that
 * the gateway serves next to its core methods, lists in `hello-ok.features.methods`, scope-checks and parses with
 * `params` before `handler` runs.
 */
export interface GatewayMethodV1<Params = unknown, Result = unknown> {
  /** {@link GATEWAY_METHOD_API_VERSION}; optional, {@link defineGatewayMethod} fills it in. */
  apiVersion?: typeof GATEWAY_METHOD_API_VERSION;
  /**
   * Dotted lowerCamel `<namespace>.<name>`, e.g. `echo.stats`: not a core method, not in a core namespace
   * (`sessions`, `chat`, ...). The namespace is also the prefix of the events the handler may emit.
   */
  name: string;
  /** The operator scope a connection needs to call it: `operator.read` for queries, `operator.write` for changes. */
  scope: OperatorScope;
  /** One sentence for people listing the gateway's methods. */
  description?: string;
  /** Parses the request's params; the handler receives its output. A request that fails gets INVALID_REQUEST. */
  params: z.ZodType<Params>;
  /** The result's schema: the gateway checks each result against it when result validation is on (tests). */
  result?: z.ZodType<Result>;
  /** Answers one request. A thrown error becomes the request's error; never put a secret in its message. */
  handler(params: Params, context: GatewayMethodContext): Promise<Result> | Result;
}

/** The current gateway method contract. */
export type GatewayMethod<Params = unknown, Result = unknown> = GatewayMethodV1<Params, Result>;

const isFunction = (value: unknown): boolean => typeof value === "function";
// A plugin may bring its own copy of zod, so a schema is recognised by its safeParse rather than by instanceof.
const zodSchema = z.custom<z.ZodType>(
  (value) => isFunction((value as { safeParse?: unknown } | null)?.safeParse),
  {
    error: "must be a zod schema (an object with safeParse), e.g. z.object({ ... })",
  },
);

/** The runtime shape of a {@link GatewayMethodV1}; `apiVersion` is checked before it (its own error code). */
export const GatewayMethodV1Schema = z.object({
  name: z.string({ error: "must be a string" }).superRefine((name, context) => {
    const problem = gatewayMethodNameProblem(name);
    if (problem !== undefined) context.addIssue({ code: "custom", message: problem });
  }),
  scope: z.enum(OPERATOR_SCOPES, { error: `must be one of ${OPERATOR_SCOPES.join(", ")}` }),
  description: z.string({ error: "must be a string" }).optional(),
  params: zodSchema,
  result: zodSchema.optional(),
  handler: z.custom<(...args: never[]) => unknown>(isFunction, {
    error: "must be a function (params, context) => result",
  }),
});

function describeFound(value: unknown): string {
  if (value === null) return "null";
  // The name-to-handler map that gateway-core read before GatewayMethodV1: say so instead of "object".
  if (typeof value === "object") return "an object (a map of names is not accepted)";
  return `a ${typeof value}`;
}

function methodLabel(value: unknown, pluginLabel: string | undefined): string {
  const name = (value as { name?: unknown } | null)?.name;
  const method = typeof name === "string" && name.length > 0 ? `gateway method "${name}"` : "gateway method";
  return pluginLabel === undefined ? method : `${pluginLabel}: ${method}`;
}

function describeIssues(error: z.ZodError, prefix: string): PluginIssue[] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter((part) => part !== "").join(".") || "(root)",
    message: issue.message,
  }));
}

/**
 * Checks that `value` is a servable gateway method and returns it typed. Throws {@link PluginError}:
 * `PLUGIN_API_VERSION` when it declares another contract version, `PLUGIN_METHOD_INVALID` listing every problem.
 * `pluginLabel` (e.g. `plugin "acme"`) prefixes the message so the operator knows which plugin to fix.
 */
export function validateGatewayMethod(value: unknown, pluginLabel?: string): GatewayMethod {
  const label = methodLabel(value, pluginLabel);
  if (value === null || typeof value !== "object") {
    throw new PluginError(
      "PLUGIN_METHOD_INVALID",
      `${label} must be an object: export the result of defineGatewayMethod({ name, scope, params, handler })`,
      { issues: [{ path: "(root)", message: "must be an object" }] },
    );
  }
  const apiVersion = (value as { apiVersion?: unknown }).apiVersion;
  if (apiVersion !== undefined && apiVersion !== GATEWAY_METHOD_API_VERSION) {
    throw new PluginError(
      "PLUGIN_API_VERSION",
      `${label} implements method API version ${JSON.stringify(apiVersion)}, but this gateway runs version ` +
        `${GATEWAY_METHOD_API_VERSION}: build it with defineGatewayMethod from a @openclaw/plugin-sdk release for ` +
        `API version ${GATEWAY_METHOD_API_VERSION}`,
      { issues: [{ path: "apiVersion", message: `must be ${GATEWAY_METHOD_API_VERSION}` }] },
    );
  }
  const parsed = GatewayMethodV1Schema.safeParse(value);
  if (!parsed.success) {
    const issues = describeIssues(parsed.error, "");
    const list = issues.map((issue) => `${issue.path} ${issue.message}`).join("; ");
    throw new PluginError("PLUGIN_METHOD_INVALID", `${label} is invalid: ${list}`, { issues });
  }
  return value as GatewayMethod;
}

/**
 * Checks a plugin's `methods` export: an array of gateway methods with distinct names. Throws {@link PluginError}
 * `PLUGIN_METHOD_INVALID` (or `PLUGIN_API_VERSION`) naming the plugin, the entry and the fix.
 */
export function validateGatewayMethods(value: unknown, pluginLabel = "plugin"): GatewayMethod[] {
  if (!Array.isArray(value)) {
    throw new PluginError(
      "PLUGIN_METHOD_INVALID",
      `${pluginLabel} methods must be an array of defineGatewayMethod({ ... }) results, found ${describeFound(value)}: ` +
        "export methods: [defineGatewayMethod({ name, scope, params, handler })]",
      { issues: [{ path: "methods", message: "must be an array" }] },
    );
  }
  const seen = new Set<string>();
  return value.map((entry, index) => {
    const method = validateGatewayMethod(entry, `${pluginLabel} methods[${index}]`);
    if (seen.has(method.name)) {
      throw new PluginError(
        "PLUGIN_METHOD_INVALID",
        `${pluginLabel} exports gateway method "${method.name}" twice: remove or rename one of them`,
        { issues: [{ path: `methods.${index}.name`, message: "is a duplicate" }] },
      );
    }
    seen.add(method.name);
    return method;
  });
}

/**
 * Declares a gateway method: `params` types the handler's first argument, `result` (when given) its return value.
 * Returns the method with `apiVersion` set, after checking it, so a mistake surfaces when the plugin module loads.
 */
export function defineGatewayMethod<Params, Result = unknown>(
  method: GatewayMethodV1<Params, Result>,
): GatewayMethodV1<Params, Result> & { apiVersion: typeof GATEWAY_METHOD_API_VERSION } {
  validateGatewayMethod(method);
  return { ...method, apiVersion: GATEWAY_METHOD_API_VERSION };
}
