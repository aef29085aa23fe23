import { z } from "zod";

export const TickEventSchema = z.object({ ts: z.int().min(0) });
export type TickEvent = z.infer<typeof TickEventSchema>;

export const ShutdownEventSchema = z.object({
  reason: z.string(),
  restartExpectedMs: z.int().min(0).optional(),
});
export type ShutdownEvent = z.infer<typeof ShutdownEventSchema>;

/** `sessions.changed` as sent when a run starts or ends in a session (OpenClaw's fields for that case). */
export const SessionsChangedEventSchema = z.object({
  sessionKey: z.string(),
  agentId: z.string().optional(),
  phase: z.enum(["start", "end"]),
  runId: z.string(),
  ts: z.int().min(0),
});
export type SessionsChangedEvent = z.infer<typeof SessionsChangedEventSchema>;

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
  "device.pair.requested",
  "device.pair.resolved",
  // To the node only: one command to run, and a caller that gave up on it.
  "node.invoke.request",
  "node.invoke.cancel",
  // To the connection that called node.invoke: ordered output of the running command.
  "node.invoke.progress",
  // To operators: an event a node sent with node.event.
  "node.event",
  "cron",
  "heartbeat",
  // To connections that called sessions.subscribe: a run started or ended in a session (OpenClaw's event).
  "sessions.changed",
  // To connections that called sessions.messages.subscribe for the session: one new transcript message.
  "session.message",
] as const;
export type GatewayEventName = (typeof GATEWAY_EVENTS)[number];
