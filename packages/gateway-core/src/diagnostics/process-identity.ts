import { randomUUID } from "node:crypto";

/**
 * One id per gateway process, as OpenClaw's `processInstanceId` (`system.info`, `mentions.list`'s
 * `gatewayInstanceId`) and the `process_instance_id` of `openclaw_gateway_build_info`.
 */
export const PROCESS_INSTANCE_ID = randomUUID();
