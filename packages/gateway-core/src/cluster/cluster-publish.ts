import { CLUSTER_LIMITS, type ClusterCoordinator } from "@openclaw/sessions";
import type { Logger } from "../logging/logger.js";

/**
 * Publishes to the other instances, or logs why not: a payload over the port's limit (`CLUSTER_LIMITS.payloadBytes`)
 * is refused by the port with a RangeError, and a relay must never throw into the code that emitted the event (the
 * local delivery already happened). Returns whether the message was handed to the port.
 */
export function publishOrLog(
  cluster: ClusterCoordinator,
  topic: string,
  payload: unknown,
  logger: Logger,
  fields: Record<string, unknown> = {},
): boolean {
  try {
    cluster.publish(topic, payload);
    return true;
  } catch (error) {
    const tooLarge = error instanceof RangeError;
    logger.warn(
      tooLarge
        ? `not sent to the other gateway instances: larger than ${CLUSTER_LIMITS.payloadBytes} bytes as JSON (clients connected elsewhere miss it; they catch up on their next read)`
        : "not sent to the other gateway instances",
      { topic, ...fields, error: (error as Error).message },
    );
    return false;
  }
}
