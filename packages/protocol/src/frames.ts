import { z } from "zod";
import { ErrorDetailCodes, ErrorShapeSchema, GatewayError } from "./errors.js";
import { LIMITS } from "./limits.js";

export const StateVersionSchema = z.object({
  presence: z.int().min(0),
  health: z.int().min(0),
});
export type StateVersion = z.infer<typeof StateVersionSchema>;

const requestId = z.string().max(LIMITS.idChars);
const methodName = z.string().min(1).max(LIMITS.idChars);

export const RequestFrameSchema = z.object({
  type: z.literal("req"),
  id: requestId,
  method: methodName,
  params: z.unknown().optional(),
  traceparent: z.string().max(128).optional(),
});
export type RequestFrame = z.infer<typeof RequestFrameSchema>;

export const ResponseFrameSchema = z.object({
  type: z.literal("res"),
  id: z.string(),
  ok: z.boolean(),
  payload: z.unknown().optional(),
  error: ErrorShapeSchema.optional(),
});
export type ResponseFrame = z.infer<typeof ResponseFrameSchema>;

export const EventFrameSchema = z.object({
  type: z.literal("event"),
  event: z.string(),
  payload: z.unknown().optional(),
  seq: z.int().min(0).optional(),
  stateVersion: StateVersionSchema.optional(),
});
export type EventFrame = z.infer<typeof EventFrameSchema>;

export const FrameSchema = z.discriminatedUnion("type", [
  RequestFrameSchema,
  ResponseFrameSchema,
  EventFrameSchema,
]);
export type Frame = z.infer<typeof FrameSchema>;

/**
 * A request as the server sees it. `simplified` is true for the quickstart shape
 * (`{ method, params }` with no `type`); `id` is undefined when the client sent none, and the answer then
 * carries no id either.
 */
export interface InboundRequest {
  id: string | undefined;
  method: string;
  params: unknown;
  simplified: boolean;
}

const SimplifiedRequestSchema = z.object({
  type: z.literal("req").optional(),
  id: z.union([requestId, z.number()]).optional(),
  method: methodName,
  params: z.unknown().optional(),
});

/**
 * Parses one text frame from a client. Accepts the v4 request frame and the simplified quickstart frame.
 * Throws {@link GatewayError} `INVALID_REQUEST` with `details.code` INVALID_JSON or INVALID_FRAME; the
 * `details.id` carries the request id when one could be read, so the error can still be correlated.
 */
export function parseInboundRequest(text: string): InboundRequest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new GatewayError(
      "INVALID_REQUEST",
      "frame is not valid JSON: send one JSON object per text frame",
      {
        details: { code: ErrorDetailCodes.INVALID_JSON },
      },
    );
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new GatewayError("INVALID_REQUEST", "frame must be a JSON object", {
      details: { code: ErrorDetailCodes.INVALID_FRAME },
    });
  }
  const record = value as Record<string, unknown>;
  const rawId = record.id;
  // An id is echoed in the answer, so one over the limit is not: the answer stays small.
  const id =
    typeof rawId === "string"
      ? rawId.length <= LIMITS.idChars
        ? rawId
        : undefined
      : typeof rawId === "number"
        ? String(rawId)
        : undefined;
  if (record.type !== undefined && record.type !== "req") {
    throw new GatewayError(
      "INVALID_REQUEST",
      `clients send frames of type "req", not ${describeFrameType(record.type)}`,
      {
        details: { code: ErrorDetailCodes.INVALID_FRAME, id },
      },
    );
  }
  const parsed = SimplifiedRequestSchema.safeParse(record);
  if (!parsed.success) {
    throw new GatewayError(
      "INVALID_REQUEST",
      `a request frame needs a string \`method\` and \`id\` (each at most ${LIMITS.idChars} characters)`,
      { details: { code: ErrorDetailCodes.INVALID_FRAME, id } },
    );
  }
  if (record.type === "req" && typeof rawId !== "string") {
    throw new GatewayError("INVALID_REQUEST", 'a frame of type "req" needs a string `id`', {
      details: { code: ErrorDetailCodes.INVALID_FRAME, id },
    });
  }
  return {
    id,
    method: parsed.data.method,
    params: parsed.data.params,
    simplified: record.type === undefined,
  };
}

/** A client's `type`, quoted short: an error never echoes a large input back. */
function describeFrameType(type: unknown): string {
  return typeof type === "string" ? JSON.stringify(type.slice(0, 32)) : typeof type;
}
