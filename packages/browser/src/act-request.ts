import { z } from "zod";
import { BrowserError } from "./browser-error.js";
import { ACT_KINDS, type ActRequest } from "./running-profile.js";

const ActRequestSchema = z.object({
  kind: z.enum(ACT_KINDS, { error: `kind must be one of ${ACT_KINDS.join(", ")}` }),
  ref: z.string().max(64).optional(),
  text: z.string().max(100_000).optional(),
  key: z.string().max(64).optional(),
  values: z.array(z.string().max(10_000)).max(100).optional(),
  submit: z.boolean().optional(),
  doubleClick: z.boolean().optional(),
  timeMs: z.int().min(0).max(30_000).optional(),
  timeoutMs: z.int().min(1).max(120_000).optional(),
});

/** The `/act` body, parsed: unknown keys (OpenClaw's other act fields) are ignored, bad values refused. */
export function parseActRequest(body: Record<string, unknown>): ActRequest {
  const parsed = ActRequestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BrowserError(
      "INVALID_REQUEST",
      `act: ${issue?.path.join(".") || "body"} ${issue?.message ?? "is invalid"}`,
    );
  }
  return parsed.data as ActRequest;
}
