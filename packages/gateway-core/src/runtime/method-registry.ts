import {
  describeZodIssues,
  ErrorDetailCodes,
  GatewayError,
  isKnownMethod,
  METHOD_CONTRACTS,
  type MethodName,
  type MethodParams,
  type MethodResult,
  requiredScopeFor,
  scopeSatisfies,
  zodIssueDetails,
} from "@openclaw/protocol";
import type { ZodType } from "zod";
import type { GatewayRuntime } from "./gateway-runtime.js";

export interface RequestContext {
  runtime: GatewayRuntime;
  connId: string;
  scopes: readonly string[];
  clientAddress: string;
  /** Aborted once the answer is no longer wanted (the connection closed). */
  signal?: AbortSignal;
}

export type MethodHandler<M extends MethodName> = (
  params: MethodParams<M>,
  context: RequestContext,
) => Promise<MethodResult<M>> | MethodResult<M>;

export type MethodHandlers = { [M in MethodName]: MethodHandler<M> };

/** A method added by a plugin: its own scope and params schema, outside the core contract. */
export interface ExtraMethod {
  scope: string;
  params?: ZodType;
  /** Checked against each answer when `validateResults` is on, like a core method's contract. */
  result?: ZodType;
  handler: (params: unknown, context: RequestContext) => Promise<unknown> | unknown;
}

/**
 * Dispatches a request: unknown method, missing scope and bad params all fail before any handler runs.
 * With `validateResults` on (tests), every result is checked against its contract so drift is caught early.
 */
export class MethodRegistry {
  readonly #handlers: MethodHandlers;
  readonly #extra = new Map<string, ExtraMethod>();
  readonly #validateResults: boolean;

  constructor(handlers: MethodHandlers, options: { validateResults?: boolean } = {}) {
    this.#handlers = handlers;
    this.#validateResults = options.validateResults ?? false;
  }

  register(name: string, method: ExtraMethod): void {
    if (isKnownMethod(name) || this.#extra.has(name)) {
      throw new GatewayError(
        "INVALID_REQUEST",
        `gateway method "${name}" is already registered: rename the added one`,
      );
    }
    this.#extra.set(name, method);
  }

  isRegistered(name: string): boolean {
    return isKnownMethod(name) || this.#extra.has(name);
  }

  methodNames(): string[] {
    return [...Object.keys(this.#handlers), ...this.#extra.keys()];
  }

  async dispatch(method: string, rawParams: unknown, context: RequestContext): Promise<unknown> {
    if (isKnownMethod(method)) return this.#dispatchCore(method, rawParams, context);
    const extra = this.#extra.get(method);
    if (!extra) {
      throw new GatewayError("INVALID_REQUEST", `unknown method "${method}": see hello-ok features.methods`, {
        details: { code: ErrorDetailCodes.UNKNOWN_METHOD, method },
      });
    }
    assertScope(method, extra.scope, context.scopes);
    const params = extra.params ? parseParams(method, extra.params, rawParams) : rawParams;
    const result = await extra.handler(params, context);
    if (this.#validateResults && extra.result) assertResult(method, extra.result, result);
    return result;
  }

  async #dispatchCore<M extends MethodName>(
    method: M,
    rawParams: unknown,
    context: RequestContext,
  ): Promise<unknown> {
    const contract = METHOD_CONTRACTS[method];
    assertScope(method, requiredScopeFor(method, rawParams), context.scopes);
    const params = parseParams(method, contract.params, rawParams) as MethodParams<M>;
    const handler = this.#handlers[method] as MethodHandler<M>;
    const result = await handler(params, context);
    if (this.#validateResults) assertResult(method, contract.result, result);
    return result;
  }
}

function assertResult(method: string, schema: ZodType, result: unknown): void {
  const checked = schema.safeParse(result);
  if (checked.success) return;
  throw new Error(
    `result of ${method} breaks its contract: ${JSON.stringify(describeZodIssues(checked.error))}`,
  );
}

function assertScope(method: string, required: string, granted: readonly string[]): void {
  if (scopeSatisfies(granted, required)) return;
  throw new GatewayError(
    "FORBIDDEN",
    `${method} needs the ${required} scope, which this connection was not granted`,
    {
      details: { code: ErrorDetailCodes.MISSING_SCOPE, missingScope: required, requiredScopes: [required] },
    },
  );
}

function parseParams(method: string, schema: ZodType, raw: unknown): unknown {
  const parsed = schema.safeParse(raw ?? undefined);
  if (parsed.success) return parsed.data;
  // Capped: however broken the params, the reply lists a few clipped issues and how many there were.
  const details = zodIssueDetails(parsed.error);
  const first = details.issues[0];
  throw new GatewayError(
    "INVALID_REQUEST",
    `invalid params for ${method}: ${first ? `${first.path}: ${first.message}` : "malformed"}`,
    { details: { code: ErrorDetailCodes.INVALID_PARAMS, ...details } },
  );
}
