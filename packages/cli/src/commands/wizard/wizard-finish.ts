import type { Output } from "../../output.js";
import { summarizeChanges } from "./change-summary.js";
import type { ConfigDraft } from "./config-draft.js";
import { findUnsafeSettings } from "./config-safety.js";
import { saveConfigDocument } from "./config-store.js";
import { DEFAULT_PORT } from "./gateway-section.js";
import { WizardError } from "./wizard-error.js";
import type { Prompter } from "./wizard-prompter.js";

/** Whether to ask questions: only when both ends are a terminal and the caller did not opt out. */
export function canPrompt(nonInteractive: boolean | undefined): boolean {
  return !nonInteractive && process.stdin.isTTY === true && process.stdout.isTTY === true;
}

export function controlUiUrl(draft: ConfigDraft): string {
  const port = draft.get("gateway.port") ?? DEFAULT_PORT;
  const basePath = draft.getString("gateway.controlUi.basePath") ?? "";
  return `http://127.0.0.1:${String(port)}${basePath.replace(/\/$/, "")}/`;
}

function unsafeError(problems: string[]): WizardError {
  return new WizardError("WIZARD_UNSAFE", `not saved: ${problems.join("; ")}`);
}

/** Prints what only this run knows (a generated token), then where to go next. */
function printAfterWrite(draft: ConfigDraft, configPath: string, next: string[], output: Output): void {
  for (const secret of draft.secretsToReveal()) {
    output.out(`${secret.label} (shown once; stored in ${configPath}):\n  ${secret.value}`);
  }
  for (const line of next) output.out(line);
}

/** Summary (secrets masked), confirmation, write, and what to run next. Resolves to the exit code. */
export async function finishInteractive(o: {
  draft: ConfigDraft;
  configPath: string;
  prompter: Prompter;
  output: Output;
  next: string[];
  /** Write even when nothing differs (onboard writes a fresh file). */
  writeUnchanged?: boolean;
  /** Runs once the user has confirmed, just before the write (onboard keeps a backup of the old file). */
  beforeWrite?: () => Promise<void>;
}): Promise<number> {
  const problems = findUnsafeSettings(o.draft);
  if (problems.length > 0) {
    for (const problem of problems) o.prompter.warn(problem);
    throw unsafeError(problems);
  }
  const changes = summarizeChanges(o.draft.original, o.draft.document);
  if (changes.length === 0 && !o.writeUnchanged) {
    o.prompter.outro(`Nothing changed; ${o.configPath} was left as it was.`);
    return 0;
  }
  o.prompter.note(changes.length > 0 ? changes.join("\n") : "(no changes)", "Changes");
  const write = await o.prompter.confirm({ message: `Save to ${o.configPath}?`, initialValue: true });
  if (!write) {
    o.prompter.outro("Not saved: nothing was written.");
    return 1;
  }
  await o.beforeWrite?.();
  await saveConfigDocument(o.configPath, o.draft.document);
  o.prompter.outro(`Saved ${o.configPath}`);
  printAfterWrite(o.draft, o.configPath, o.next, o.output);
  return 0;
}

/** The same end for a run driven by flags: refuse unsafe settings, write, report. */
export async function finishNonInteractive(o: {
  draft: ConfigDraft;
  configPath: string;
  output: Output;
  next: string[];
  writeUnchanged?: boolean;
  beforeWrite?: () => Promise<void>;
}): Promise<number> {
  const problems = findUnsafeSettings(o.draft);
  if (problems.length > 0) throw unsafeError(problems);
  const changes = summarizeChanges(o.draft.original, o.draft.document);
  if (changes.length === 0 && !o.writeUnchanged) {
    o.output.out(`Nothing changed; ${o.configPath} was left as it was.`);
    return 0;
  }
  await o.beforeWrite?.();
  await saveConfigDocument(o.configPath, o.draft.document);
  o.output.out(`Saved ${o.configPath}`);
  for (const change of changes) o.output.out(`  ${change}`);
  printAfterWrite(o.draft, o.configPath, o.next, o.output);
  return 0;
}
