import { CliError } from "../cli-error.js";
import { cliCommand } from "../cli-invocation.js";
import { type Output, printJson } from "../output.js";

const SHOW_SECRETS_HINT = "secrets are redacted; add --show-secrets to print them";

/**
 * `openclaw config get [path]`: the whole config, a section or one value. Secrets (tokens, passwords, API keys,
 * channel secrets, inline env vars; gateway-core's `redactConfig` decides) are redacted wherever they sit in what is
 * printed, unless `--show-secrets`. `${VAR}` references and SecretRefs reveal nothing and are shown as written.
 */
export async function runConfigGet(
  path: string | undefined,
  options: { json?: boolean; showSecrets?: boolean },
  output: Output,
) {
  const gateway = await import("@openclaw/gateway");
  const paths = gateway.resolveConfigPaths();
  const loaded = await gateway.loadConfig(paths.configPath).catch((error: Error) => {
    throw new CliError(error.message);
  });
  const shown = options.showSecrets ? loaded.config : gateway.redactConfig(loaded.config);
  // Said on stderr only, so stdout stays exactly the value (or JSON) a script reads.
  const noteRedaction = (printed: unknown, stored: unknown) => {
    if (!options.json && JSON.stringify(printed) !== JSON.stringify(stored)) output.err(SHOW_SECRETS_HINT);
  };
  if (path === undefined) {
    if (options.json) printJson(output, { path: paths.configPath, exists: loaded.exists, config: shown });
    else {
      output.out(`# ${paths.configPath}${loaded.exists ? "" : " (not created yet: showing defaults)"}`);
      printJson(output, shown);
    }
    for (const warning of loaded.warnings) output.err(`warning: ${warning}`);
    noteRedaction(shown, loaded.config);
    return 0;
  }
  const value = gateway.getConfigValue(shown, path);
  if (value === undefined) {
    if (options.json) printJson(output, null);
    else
      output.err(
        `${path} is not set in ${paths.configPath} (\`${cliCommand()} config get\` shows the whole config)`,
      );
    return 1;
  }
  if (options.json || typeof value === "object") printJson(output, value);
  else output.out(String(value));
  noteRedaction(value, gateway.getConfigValue(loaded.config, path));
  return 0;
}

/** `openclaw config set <path> <value>`: the value is read as JSON5 when it parses, else as a string. */
export async function runConfigSet(path: string, rawValue: string, output: Output) {
  const gateway = await import("@openclaw/gateway");
  const paths = gateway.resolveConfigPaths();
  const loaded = await gateway.loadConfig(paths.configPath).catch((error: Error) => {
    throw new CliError(error.message);
  });
  const JSON5 = (await import("json5")).default;
  const current =
    loaded.exists && loaded.raw.trim() !== "" ? (JSON5.parse(loaded.raw) as Record<string, unknown>) : {};
  const value = gateway.parseConfigValueLiteral(rawValue);
  const next = gateway.setConfigValue(current, path, value);
  const text = `${JSON.stringify(next, null, 2)}\n`;
  const validation = gateway.validateConfigText(text, paths.configPath);
  if (!validation.ok) {
    throw new CliError(
      `not saved: ${validation.issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ")}`,
      1,
    );
  }
  await gateway.writeConfigFile(paths.configPath, text);
  output.out(`${path} updated in ${paths.configPath}`);
  return 0;
}
