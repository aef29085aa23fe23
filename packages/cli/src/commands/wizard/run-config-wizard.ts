import type { Output } from "../../output.js";
import { createClackPrompter } from "./clack-prompter.js";
import { loadStoredConfig } from "./config-store.js";
import { restartHint } from "./restart-hint.js";
import { WizardError } from "./wizard-error.js";
import { canPrompt, controlUiUrl, finishInteractive, finishNonInteractive } from "./wizard-finish.js";
import { givenFlags, type WizardFlags } from "./wizard-flags.js";
import { describeFlags, resolveSections, sectionsForFlags } from "./wizard-sections.js";

function needsInput(sectionNames: readonly string[] | undefined): WizardError {
  const { sections } = resolveSections(sectionNames);
  const which = sectionNames?.length ? ` --section ${sectionNames.join(" --section ")}` : "";
  return new WizardError(
    "WIZARD_NEEDS_INPUT",
    [
      `\`openclaw config${which}\` asks questions, and there is no terminal to ask them in.`,
      "Pass the answers as flags instead, for example:",
      "  openclaw config --section gateway --port 18789 --bind lan --auth token --generate-token --non-interactive",
      "The flags of each section:",
      describeFlags(sections),
      "Or set single values: `openclaw config set <path> <value>` (e.g. `openclaw config set gateway.port 18789`).",
    ].join("\n"),
  );
}

/**
 * `openclaw config [--section <name>]...`: the configuration wizard. With a terminal it asks each section's
 * questions (current values as defaults), shows the changes with secrets masked, and writes after confirmation.
 * Without one (or with --non-interactive) it applies the answer flags, or exits 2 naming them.
 */
export async function runConfigWizard(
  sectionNames: string[] | undefined,
  flags: WizardFlags,
  output: Output,
): Promise<number> {
  const { sections: selected, channel } = resolveSections(sectionNames);
  const { configPath, draft } = await loadStoredConfig();
  // `--section telegram` names the channel, so --channel need not repeat it.
  const answers = channel !== undefined && givenFlags(flags).length > 0 ? { channel, ...flags } : flags;
  if (!canPrompt(flags.nonInteractive)) {
    if (givenFlags(flags).length === 0) throw needsInput(sectionNames);
    for (const section of sectionsForFlags(selected, answers)) section.applyFlags(draft, answers);
    return finishNonInteractive({ draft, configPath, output, next: [await restartHint(draft, configPath)] });
  }

  const prompter = createClackPrompter();
  // Answer flags given alongside a terminal become the defaults the questions start from.
  for (const section of sectionsForFlags(selected, answers)) section.applyFlags(draft, answers);
  prompter.intro(
    sectionNames?.length ? `openclaw config: ${selected.map((s) => s.id).join(", ")}` : "openclaw config",
  );
  for (const section of selected) {
    prompter.step(section.title);
    await section.ask(draft, prompter, channel);
  }
  return finishInteractive({
    draft,
    configPath,
    prompter,
    output,
    next: [await restartHint(draft, configPath), `Control UI: ${controlUiUrl(draft)}`],
  });
}
