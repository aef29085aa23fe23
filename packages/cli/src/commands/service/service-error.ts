import { CliError } from "../../cli-error.js";

export type ServiceErrorCode =
  | "SERVICE_UNSUPPORTED_PLATFORM"
  | "SERVICE_MANAGER_MISSING"
  | "SERVICE_BUS_UNAVAILABLE"
  | "SERVICE_COMMAND_FAILED"
  | "SERVICE_NOT_INSTALLED"
  | "SERVICE_BAD_VALUE";

/** A service-management failure; the message always says what to do next (often: run in the foreground). */
export class ServiceError extends CliError {
  readonly code: ServiceErrorCode;
  constructor(code: ServiceErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

export const FOREGROUND_HINT = "run the gateway in the foreground instead with `openclaw gateway`";
