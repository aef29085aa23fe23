import { CRON_JOB_NOT_FOUND, GatewayError } from "@openclaw/protocol";
import { CronError } from "../cron/index.js";
import type { MethodHandlers } from "../runtime/method-registry.js";

type CronMethodName =
  | "cron.list"
  | "cron.status"
  | "cron.add"
  | "cron.update"
  | "cron.remove"
  | "cron.run"
  | "cron.runs";

/** A cron refusal on the wire: a lookup miss carries OpenClaw's `{ code: "CRON_JOB_NOT_FOUND", jobId }`. */
function toGatewayError(error: unknown): unknown {
  if (!(error instanceof CronError)) return error;
  if (error.code === "CRON_JOB_NOT_FOUND") {
    return new GatewayError("INVALID_REQUEST", error.message, {
      details: { code: CRON_JOB_NOT_FOUND, jobId: error.jobId ?? "" },
      cause: error,
    });
  }
  if (error.code === "CRON_STOPPED" || error.code === "CRON_STORE_IO") {
    return new GatewayError("UNAVAILABLE", error.message, {
      details: { code: error.code },
      retryable: true,
      cause: error,
    });
  }
  return new GatewayError("INVALID_REQUEST", error.message, { details: { code: error.code }, cause: error });
}

async function mapped<T>(work: () => Promise<T> | T): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toGatewayError(error);
  }
}

const idOf = (params: { id: string } | { jobId: string }): string =>
  "id" in params ? params.id : params.jobId;

export const cronMethods: Pick<MethodHandlers, CronMethodName> = {
  "cron.list": (params, { runtime }) => mapped(() => runtime.cron.list(params ?? {})),
  "cron.status": (_params, { runtime }) => runtime.cron.status(),
  "cron.add": (params, { runtime }) => mapped(() => runtime.cron.add(params)),
  "cron.update": (params, { runtime }) => mapped(() => runtime.cron.update(idOf(params), params.patch)),
  "cron.remove": (params, { runtime }) => mapped(() => runtime.cron.remove(idOf(params))),
  "cron.run": (params, { runtime }) => mapped(() => runtime.cron.run(idOf(params), params.mode ?? "force")),
  "cron.runs": (params, { runtime }) => mapped(() => runtime.cron.runs(params ?? {})),
};
