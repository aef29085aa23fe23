import { z } from "zod";

export const TickEventSchema = z.object({ ts: z.int().min(0) });
export type TickEvent = z.infer<typeof TickEventSchema>;

export const ShutdownEventSchema = z.object({
  reason: z.string(),
  restartExpectedMs: z.int().min(0).optional(),
});
export type ShutdownEvent = z.infer<typeof ShutdownEventSchema>;

/** Events this implementation emits. */
export const GATEWAY_EVENTS = [
  "connect.challenge",
  "tick",
  "presence",
  "shutdown",
  "agent",
  "chat",
  "health",
  "exec.approval.requested",
  "exec.approval.resolved",
  "node.pair.requested",
  "node.pair.resolved",
  "cron",
  "heartbeat",
] as const;
export type GatewayEventName = (typeof GATEWAY_EVENTS)[number];
