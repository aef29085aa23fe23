import { createHash } from "node:crypto";
import { CLUSTER_LIMITS } from "@openclaw/sessions";
import { z } from "zod";

/**
 * What travels in a NOTIFY on the schema's channel, as JSON:
 * - an event inline:        {"o": origin, "t": topic, "s": seq, "p": payload}
 * - an event in the table:  {"o": origin, "t": topic, "s": seq, "e": cluster_events.id}
 * - a lease release:        {"o": origin, "r": lease name}
 * `s` counts each publisher's events from 1, so a receiver can tell it missed some (while its listener was down).
 */

/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; above this the payload goes through the table. */
export const INLINE_NOTIFY_BYTES = 7_500;

/** One channel per schema: instances of different deployments on one server never hear each other. */
export function channelName(schema: string): string {
  const plain = `openclaw_${schema}`;
  // A channel is an identifier (at most 63 bytes); a long schema name gets a stable hash instead.
  return plain.length <= 63
    ? plain
    : `openclaw_${createHash("sha256").update(schema).digest("hex").slice(0, 32)}`;
}

/** How every event notification of one origin begins (a release of that origin does not): `{"o":…,"t":`. */
export function eventOpening(origin: string): string {
  return `{"o":${JSON.stringify(origin)},"t":`;
}

/** The notification's opening, without the payload part and closing brace: `{"o":…,"t":…,"s":…`. */
export function eventHead(origin: string, topic: string, seq: number): string {
  return `${eventOpening(origin)}${JSON.stringify(topic)},"s":${seq}`;
}

/** An inline event, or undefined when it is too large for a NOTIFY (then: `eventHead` + the table). */
export function inlineEvent(head: string, payloadJson: string): string | undefined {
  const text = `${head},"p":${payloadJson}}`;
  return Buffer.byteLength(text, "utf8") <= INLINE_NOTIFY_BYTES ? text : undefined;
}

export function releaseNotification(origin: string, name: string): string {
  return JSON.stringify({ o: origin, r: name });
}

const Origin = z.string().min(1).max(128);
const NotificationSchema = z.union([
  z.strictObject({
    o: Origin,
    t: z.string().min(1).max(CLUSTER_LIMITS.topicLength),
    s: z.int().min(1),
    p: z.unknown(),
  }),
  z.strictObject({
    o: Origin,
    t: z.string().min(1).max(CLUSTER_LIMITS.topicLength),
    s: z.int().min(1),
    e: z.int().min(1),
  }),
  z.strictObject({ o: Origin, r: z.string().min(1).max(CLUSTER_LIMITS.keyLength) }),
]);

export type ClusterNotification =
  | { kind: "event"; origin: string; topic: string; seq: number; payload: unknown }
  | { kind: "stored-event"; origin: string; topic: string; seq: number; eventId: number }
  | { kind: "release"; origin: string; name: string };

/** Parses a NOTIFY payload (at most 8000 bytes: the server's bound); undefined for anything not ours. */
export function parseNotification(text: string | undefined): ClusterNotification | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = NotificationSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const n = parsed.data;
  if ("r" in n) return { kind: "release", origin: n.o, name: n.r };
  if ("e" in n) return { kind: "stored-event", origin: n.o, topic: n.t, seq: n.s, eventId: n.e };
  return { kind: "event", origin: n.o, topic: n.t, seq: n.s, payload: n.p };
}
