import { CliError } from "../cli-error.js";
import { type Output, printJson } from "../output.js";

/** `openclaw config get [path]`: the whole file is shown with secrets redacted; a single path is shown as is. */
export async function runConfigGet(path: string | undefined, options: { json?: boolean }, output: Output) {
  const gateway = await import("@openclaw/gateway");
  const paths = gateway.resolveConfigPaths();
  const loaded = await gateway.loadConfig(paths.configPath).catch((error: Error) => {
    throw new CliError(error.message);
  });
  if (path === undefined) {
    const redacted = gateway.redactConfig(loaded.config);
    if (options.json) printJson(output, { path: paths.configPath, exists: loaded.exists, config: redacted });
    else {
      output.out(`# ${paths.configPath}${loaded.exists ? "" : " (not created yet: showing defaults)"}`);
      printJson(output, redacted);
    }
    for (const warning of loaded.warnings) output.err(`warning: ${warning}`);
    return 0;
  }
  const value = gateway.getConfigValue(loaded.config, path);
  if (value === undefined) {
    if (options.json) printJson(output, null);
    else output.err(`${path} is not set in ${paths.configPath}`);
    return 1;
  }
  if (options.json || typeof value === "object") printJson(output, value);
  else output.out(String(value));
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
