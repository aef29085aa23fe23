import { CliError } from "../../cli-error.js";
import { ConfigDraft, isObject } from "./config-draft.js";

export interface StoredConfig {
  configPath: string;
  exists: boolean;
  draft: ConfigDraft;
}

/** Reads openclaw.json as a document to edit; a file the gateway would reject is reported, never overwritten. */
export async function loadStoredConfig(): Promise<StoredConfig> {
  const gateway = await import("@openclaw/gateway");
  const { configPath } = gateway.resolveConfigPaths();
  const loaded = await gateway.loadConfig(configPath).catch((error: Error) => {
    throw new CliError(`${error.message} (fix it, or start over with \`openclaw config reset\`)`);
  });
  const JSON5 = (await import("json5")).default;
  const parsed: unknown = loaded.exists && loaded.raw.trim() !== "" ? JSON5.parse(loaded.raw) : {};
  return { configPath, exists: loaded.exists, draft: new ConfigDraft(isObject(parsed) ? parsed : {}) };
}

/** Validates the whole document as the gateway will, then writes it atomically (mode 0600), as `config set` does. */
export async function saveConfigDocument(
  configPath: string,
  document: Record<string, unknown>,
): Promise<void> {
  const gateway = await import("@openclaw/gateway");
  const text = `${JSON.stringify(document, null, 2)}\n`;
  const validation = gateway.validateConfigText(text, configPath);
  if (!validation.ok) {
    throw new CliError(
      `not saved: ${validation.issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ")}`,
      1,
    );
  }
  await gateway.writeConfigFile(configPath, text);
}
