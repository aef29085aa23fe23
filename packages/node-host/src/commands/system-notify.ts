import { z } from "zod";

export const SystemNotifyParamsSchema = z
  .looseObject({
    title: z.string().max(1024).optional(),
    body: z
      .string()
      .max(16 * 1024)
      .optional(),
    sound: z.string().max(256).optional(),
    priority: z.string().max(64).optional(),
    delivery: z.string().max(64).optional(),
  })
  .refine((value) => Boolean(value.title?.trim() || value.body?.trim()), "title or body required");

export type SystemNotifyParams = z.infer<typeof SystemNotifyParamsSchema>;

export interface Notification {
  title: string;
  body: string;
  priority?: string;
  receivedAtMs: number;
}

/**
 * A headless host has no screen: a notification is handed to `deliver` (by default one line on the host's log,
 * where whoever runs the node sees it) and answered with how it was delivered.
 */
export function notify(
  params: SystemNotifyParams,
  deliver: (notification: Notification) => void,
): { ok: true; delivered: "log" } {
  deliver({
    title: params.title?.trim() ?? "",
    body: params.body?.trim() ?? "",
    ...(params.priority ? { priority: params.priority } : {}),
    receivedAtMs: Date.now(),
  });
  return { ok: true, delivered: "log" };
}
