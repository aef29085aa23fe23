import { CliError } from "../../cli-error.js";

/** Why a wizard stopped without writing; each has a stable code and its own exit status. */
export type WizardErrorCode = "WIZARD_CANCELLED" | "WIZARD_NEEDS_INPUT" | "WIZARD_BAD_FLAG" | "WIZARD_UNSAFE";

const EXIT_CODES: Record<WizardErrorCode, number> = {
  // 128 + SIGINT, what a shell reports for a Ctrl-C'd program.
  WIZARD_CANCELLED: 130,
  WIZARD_NEEDS_INPUT: 2,
  WIZARD_BAD_FLAG: 2,
  WIZARD_UNSAFE: 2,
};

export class WizardError extends CliError {
  readonly code: WizardErrorCode;
  constructor(code: WizardErrorCode, message: string) {
    super(message, EXIT_CODES[code]);
    this.code = code;
  }
}

export function cancelled(): WizardError {
  return new WizardError("WIZARD_CANCELLED", "cancelled: nothing was written");
}
