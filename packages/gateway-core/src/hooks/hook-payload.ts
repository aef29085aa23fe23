import { z } from "zod";

const nonEmptyText = (field: string) =>
  z.string({ error: `${field} must be a string` }).refine((value) => value.trim() !== "", {
    error: `${field} is empty: send a non-empty ${field}`,
  });

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value?.trim() ? value.trim() : undefined));

const wakeMode = z.enum(["now", "next-heartbeat"], {
  error: 'must be "now" or "next-heartbeat"',
});

/** `POST <hooks.path>/wake`. */
export const HookWakePayloadSchema = z.looseObject({
  text: nonEmptyText("text"),
  mode: wakeMode.optional(),
  agentId: optionalText,
  sessionKey: optionalText,
});

export type HookWakePayload = z.infer<typeof HookWakePayloadSchema>;

/** `POST <hooks.path>/agent`; fields OpenClaw documents but this gateway cannot act on are accepted and ignored. */
export const HookAgentPayloadSchema = z.looseObject({
  message: nonEmptyText("message"),
  name: optionalText,
  agentId: optionalText,
  sessionKey: optionalText,
  sessionMode: z.enum(["isolated", "persistent"], { error: 'must be "isolated" or "persistent"' }).optional(),
  idempotencyKey: z.string().optional(),
  waitForCompletion: z.boolean().optional(),
  wakeMode: wakeMode.optional(),
  deliver: z.boolean().optional(),
  channel: optionalText,
  to: optionalText,
  accountId: optionalText,
  model: optionalText,
  thinking: optionalText,
  // OpenClaw ignores an invalid timeout rather than refusing the request; so do we.
  timeoutSeconds: z.unknown().optional(),
});

export type HookAgentPayload = z.infer<typeof HookAgentPayloadSchema>;

/** Whole seconds, or undefined for anything that is not a positive number. */
export function hookTimeoutMs(value: unknown): number | undefined {
  if (typeof value !== "number" || !Number.isFinite(value)) return undefined;
  const seconds = Math.floor(value);
  return seconds > 0 ? seconds * 1000 : undefined;
}

/** A readable one-line summary of what was wrong with a payload. */
export function describePayloadIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ");
}
