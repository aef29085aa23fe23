export type CronErrorCode =
  | "CRON_JOB_NOT_FOUND"
  | "CRON_INVALID_SCHEDULE"
  | "CRON_UNSUPPORTED"
  | "CRON_INVALID_JOB"
  | "CRON_STORE_IO"
  | "CRON_STOPPED";

/** A cron request refused, or a store that cannot be read; the message says how to fix it. */
export class CronError extends Error {
  override readonly name = "CronError";
  readonly code: CronErrorCode;
  readonly jobId: string | undefined;

  constructor(code: CronErrorCode, message: string, options: { jobId?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.jobId = options.jobId;
  }
}

export function isCronError(error: unknown): error is CronError {
  return error instanceof CronError;
}
