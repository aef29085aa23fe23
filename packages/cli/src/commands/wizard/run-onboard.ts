import type { Output } from "../../output.js";
import { askChannel, channelsSection } from "./channels-section.js";
import { createClackPrompter } from "./clack-prompter.js";
import { backupConfigFile } from "./config-backup.js";
import { ConfigDraft } from "./config-draft.js";
import { loadStoredConfig } from "./config-store.js";
import { gatewaySection } from "./gateway-section.js";
import { modelsSection } from "./models-section.js";
import { WizardError } from "./wizard-error.js";
import { canPrompt, controlUiUrl, finishInteractive, finishNonInteractive } from "./wizard-finish.js";
import type { WizardFlags } from "./wizard-flags.js";
import { sectionsForFlags, WIZARD_SECTIONS } from "./wizard-sections.js";
import { finishWorkspaces } from "./workspace-setup.js";

export interface OnboardOptions extends WizardFlags {
  force?: boolean;
  /** Saves `agents.defaults.skipBootstrap: true`: workspaces get no template files. */
  skipBootstrap?: boolean;
}

function nextSteps(draft: ConfigDraft): string[] {
  return [
    "Start the gateway:  `openclaw gateway`",
    `Then open the Control UI:  ${controlUiUrl(draft)}`,
    ...(draft.get("models") === undefined
      ? ["No model provider yet: add one with `openclaw config --section models`."]
      : []),
  ];
}

/**
 * `openclaw onboard`: the first-run flow. Starts a fresh config (the gateway with a generated token, a model
 * provider, optionally one channel). An existing config is only replaced after confirmation (`--force` without a
 * terminal), and is kept as a backup first. Once the config is saved, the agents' workspaces are created.
 */
export async function runOnboard(options: OnboardOptions, output: Output): Promise<number> {
  const stored = await loadStoredConfig();
  const { configPath } = stored;
  const draft = new ConfigDraft({});
  if (options.skipBootstrap) draft.set("agents.defaults.skipBootstrap", true);
  let backupPath: string | undefined;
  const beforeWrite = async () => {
    backupPath = await backupConfigFile(configPath);
    if (backupPath) output.out(`Your previous config is kept at ${backupPath}`);
  };

  if (!canPrompt(options.nonInteractive)) {
    if (stored.exists && !options.force) {
      throw new WizardError(
        "WIZARD_NEEDS_INPUT",
        `${configPath} already exists: pass --force to replace it (the old file is kept as a backup), or change parts of it with \`openclaw config --section <name> --non-interactive\``,
      );
    }
    gatewaySection.applyFlags(draft, options);
    for (const section of sectionsForFlags(WIZARD_SECTIONS, options)) {
      if (section !== gatewaySection) section.applyFlags(draft, options);
    }
    const code = await finishNonInteractive({
      draft,
      configPath,
      output,
      next: nextSteps(draft),
      writeUnchanged: true,
      beforeWrite,
    });
    if (code === 0) await finishWorkspaces(configPath, output);
    return code;
  }

  const prompter = createClackPrompter();
  prompter.intro("Welcome to OpenClaw");
  if (stored.exists) {
    const replace = await prompter.confirm({
      message: `${configPath} already exists. Start over with a new config? (the current one is kept as a backup)`,
      initialValue: false,
    });
    if (!replace) {
      prompter.outro("Kept your config. Change parts of it with `openclaw config`.");
      return 0;
    }
  }
  prompter.note(
    [
      "A few questions and your gateway is ready:",
      "1. where it listens and how clients sign in,",
      "2. which model provider your agents use,",
      "3. optionally, a chat channel (Telegram, Slack, Discord, WhatsApp).",
      "Press Ctrl-C at any time to stop without writing anything.",
    ].join("\n"),
    "Setup",
  );
  // Answer flags given with a terminal become the starting answers.
  for (const section of sectionsForFlags(WIZARD_SECTIONS, options)) section.applyFlags(draft, options);

  prompter.step(gatewaySection.title);
  await gatewaySection.ask(draft, prompter);
  prompter.step(modelsSection.title);
  if (await prompter.confirm({ message: "Set up a model provider now?", initialValue: true })) {
    await modelsSection.ask(draft, prompter);
  }
  prompter.step(channelsSection.title);
  if (await prompter.confirm({ message: "Connect a chat channel now?", initialValue: false })) {
    await askChannel(draft, prompter);
  }
  const code = await finishInteractive({
    draft,
    configPath,
    prompter,
    output,
    next: nextSteps(draft),
    writeUnchanged: true,
    beforeWrite,
  });
  // 0 here means the config was saved (a refusal to save answers 1).
  if (code === 0) await finishWorkspaces(configPath, output);
  return code;
}
