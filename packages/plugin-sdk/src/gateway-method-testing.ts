import type { GatewayMethod } from "./gateway-method.js";
import { validateGatewayMethod } from "./gateway-method.js";
import type { GatewayMethodContext } from "./gateway-method-context.js";
import { assertPluginEventName } from "./gateway-method-name.js";

export type GatewayMethodLogLevel = "debug" | "info" | "warn" | "error";

/** A {@link GatewayMethodContext} that keeps what the handler emitted and logged, for assertions. */
export interface RecordingGatewayMethodContext extends GatewayMethodContext {
  readonly events: { event: string; payload: unknown }[];
  readonly logs: { level: GatewayMethodLogLevel; event: string; fields?: Record<string, unknown> }[];
}

/**
 * A context as the gateway would build it for one call of `methodName`: `emit` applies the gateway's rules (the
 * event in the method's namespace, a JSON-serialisable payload) and records the event; the logger records lines.
 * `overrides` replaces `connId` (default `test-conn`), `scopes` (default `["operator.admin"]`), `clientAddress`
 * (default `127.0.0.1`) or `signal`.
 */
export function createGatewayMethodTestContext(
  methodName: string,
  overrides: Partial<Pick<GatewayMethodContext, "connId" | "scopes" | "clientAddress" | "signal">> = {},
): RecordingGatewayMethodContext {
  const events: RecordingGatewayMethodContext["events"] = [];
  const logs: RecordingGatewayMethodContext["logs"] = [];
  const log = (level: GatewayMethodLogLevel) => (event: string, fields?: Record<string, unknown>) => {
    logs.push(fields === undefined ? { level, event } : { level, event, fields });
  };
  return {
    connId: overrides.connId ?? "test-conn",
    scopes: overrides.scopes ?? ["operator.admin"],
    clientAddress: overrides.clientAddress ?? "127.0.0.1",
    signal: overrides.signal,
    logger: { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") },
    emit(event, payload) {
      assertPluginEventName(methodName, event);
      // The gateway sends the payload as JSON: what does not survive that must fail here too.
      events.push({ event, payload: JSON.parse(JSON.stringify(payload) ?? "null") });
    },
    events,
    logs,
  };
}

function issueList(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  return error.issues
    .map(
      (issue) => `${issue.path.length === 0 ? "(root)" : issue.path.map(String).join(".")} ${issue.message}`,
    )
    .join("; ");
}

/**
 * Calls a method the way the gateway serves it: checks the method, parses `rawParams` with its `params` schema,
 * runs the handler with `context` (default: {@link createGatewayMethodTestContext}) and, when the method declares a
 * `result` schema, checks the result against it. Throws an Error naming the bad params or result fields.
 */
export async function invokeGatewayMethod(
  method: GatewayMethod,
  rawParams: unknown,
  context: GatewayMethodContext = createGatewayMethodTestContext(method.name),
): Promise<unknown> {
  validateGatewayMethod(method);
  const params = method.params.safeParse(rawParams);
  if (!params.success) {
    throw new Error(`invalid params for ${method.name}: ${issueList(params.error)}`);
  }
  const result = await method.handler(params.data, context);
  if (method.result === undefined) return result;
  const checked = method.result.safeParse(result);
  if (!checked.success) {
    throw new Error(
      `${method.name} returned a result its result schema refuses: ${issueList(checked.error)}`,
    );
  }
  return checked.data;
}
