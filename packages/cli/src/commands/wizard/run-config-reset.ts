import type { Output } from "../../output.js";
import { createClackPrompter } from "./clack-prompter.js";
import { backupConfigFile } from "./config-backup.js";
import { saveConfigDocument } from "./config-store.js";
import { generateToken } from "./gateway-auth.js";
import { DEFAULT_PORT } from "./gateway-section.js";
import { WizardError } from "./wizard-error.js";
import { canPrompt } from "./wizard-finish.js";

/** The smallest config a gateway starts from safely: loopback only, with a fresh token. */
export function freshConfig(token: string): Record<string, unknown> {
  return { gateway: { port: DEFAULT_PORT, bind: "loopback", auth: { mode: "token", token } } };
}

/**
 * `openclaw config reset`: keeps the current file as `openclaw.json.bak.<timestamp>` (mode 0600) and writes a
 * fresh minimal config with a new token. Asks first; without a terminal it needs `--yes`.
 */
export async function runConfigReset(
  options: { yes?: boolean; nonInteractive?: boolean },
  output: Output,
): Promise<number> {
  const gateway = await import("@openclaw/gateway");
  const { configPath } = gateway.resolveConfigPaths();
  if (!options.yes) {
    if (!canPrompt(options.nonInteractive)) {
      throw new WizardError(
        "WIZARD_NEEDS_INPUT",
        `config reset replaces ${configPath} with a fresh config: pass --yes to confirm (the current file is kept as a backup)`,
      );
    }
    const prompter = createClackPrompter();
    prompter.intro("openclaw config reset");
    const confirmed = await prompter.confirm({
      message: `Replace ${configPath} with a fresh config? (the current file is kept as a backup)`,
      initialValue: false,
    });
    if (!confirmed) {
      prompter.outro("Nothing was changed.");
      return 1;
    }
    prompter.outro("Resetting.");
  }
  const backupPath = await backupConfigFile(configPath);
  const token = generateToken();
  await saveConfigDocument(configPath, freshConfig(token));
  output.out(
    backupPath ? `Backup: ${backupPath}` : `There was no config at ${configPath}: nothing to back up.`,
  );
  output.out(`Wrote a fresh config to ${configPath}`);
  output.out(`Gateway token (shown once; stored in ${configPath}):\n  ${token}`);
  output.out("Next: openclaw onboard   (or `openclaw config` to set up parts of it)");
  return 0;
}
