import type { ConfigDraft } from "./config-draft.js";
import { WizardError } from "./wizard-error.js";
import type { FLAG_NAMES, WizardFlags } from "./wizard-flags.js";
import type { Prompter } from "./wizard-prompter.js";

export type SectionId = "gateway" | "tailscale" | "http" | "models" | "channels";

/** One part of openclaw.json the wizard can set, by prompts or by flags. */
export interface WizardSection {
  id: SectionId;
  title: string;
  /** The answer flags this section reads. */
  flags: (keyof typeof FLAG_NAMES)[];
  /**
   * Asks its questions, current values as the defaults, and writes the answers into the draft. `focus` narrows a
   * section to one item (the channels section to one channel, for `--section telegram`).
   */
  ask(draft: ConfigDraft, prompter: Prompter, focus?: string): Promise<void>;
  /** Applies the flags given (absent flags keep the current values); throws `WIZARD_BAD_FLAG` for a bad value. */
  applyFlags(draft: ConfigDraft, flags: WizardFlags): void;
}

export function parseChoice<T extends string>(flag: string, value: string, choices: readonly T[]): T {
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new WizardError("WIZARD_BAD_FLAG", `${flag} must be one of ${choices.join(", ")} (got "${value}")`);
}

export function parseOnOff(flag: string, value: string): boolean {
  return parseChoice(flag, value, ["on", "off"] as const) === "on";
}

/** Turns a validator's complaint about a flag value into the flag error. */
export function checkFlag(
  flag: string,
  value: string,
  validate: (value: string) => string | undefined,
): string {
  const problem = validate(value);
  if (problem !== undefined) throw new WizardError("WIZARD_BAD_FLAG", `${flag}: ${problem}`);
  return value;
}
