import { defineGatewayMethod } from "@openclaw/plugin-sdk";
import { z } from "zod";
import type { EchoChannelPlugin } from "./echo-channel-plugin.js";

export const EchoStatsParamsSchema = z.object({
  /** One account's counts; all accounts when absent. */
  accountId: z.string().min(1).optional(),
});
export type EchoStatsParams = z.infer<typeof EchoStatsParamsSchema>;

export const EchoStatsResultSchema = z.object({
  accounts: z.array(
    z.object({
      accountId: z.string(),
      running: z.boolean(),
      received: z.int().min(0),
      sent: z.int().min(0),
    }),
  ),
});
export type EchoStatsResult = z.infer<typeof EchoStatsResultSchema>;

/**
 * `echo.stats`: how many messages each account of `channel` received and echoed back. A read-only query, so
 * `operator.read` is enough. It reads the plugin's own state: the gateway hands a method no more than its context.
 */
export function createEchoStatsMethod(channel: EchoChannelPlugin) {
  return defineGatewayMethod({
    name: "echo.stats",
    scope: "operator.read",
    description: "Messages each echo account received and sent back since the gateway started",
    params: EchoStatsParamsSchema,
    result: EchoStatsResultSchema,
    handler: ({ accountId }): EchoStatsResult => ({ accounts: channel.stats(accountId) }),
  });
}
