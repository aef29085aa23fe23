import { ServiceError } from "./service-error.js";

export const SYSTEMD_UNIT_NAME = "openclaw-gateway.service";

export interface ServiceUnitOptions {
  /** Absolute path of the node binary that runs the CLI. */
  nodePath: string;
  /** Absolute path of the CLI entry script (`dist/bin.js`). */
  cliPath: string;
  /** State directory the service runs against (exported as OPENCLAW_STATE_DIR). */
  stateDir: string;
  /** Set only when the config lives outside the state directory (exported as OPENCLAW_CONFIG_PATH). */
  configPath?: string;
  /** Pins `--port`; left out the gateway reads its port from the config, so a config edit is not overridden. */
  port?: number;
  description?: string;
}

export const DEFAULT_SERVICE_DESCRIPTION = "OpenClaw Gateway";

/** The gateway command line the service manager runs (shared by systemd and launchd). */
export function gatewayArgv(o: ServiceUnitOptions): string[] {
  const argv = [o.nodePath, o.cliPath, "gateway", "--foreground"];
  if (o.port !== undefined) {
    if (!Number.isInteger(o.port) || o.port < 1 || o.port > 65535) {
      throw new ServiceError("SERVICE_BAD_VALUE", `port must be an integer from 1 to 65535 (got ${o.port})`);
    }
    argv.push("--port", String(o.port));
  }
  return argv;
}

/** The environment the service sets; never a token or password (those stay in the 0600 config file). */
export function serviceEnvironment(o: ServiceUnitOptions): [string, string][] {
  const env: [string, string][] = [["OPENCLAW_STATE_DIR", o.stateDir]];
  if (o.configPath !== undefined) env.push(["OPENCLAW_CONFIG_PATH", o.configPath]);
  return env;
}

function rejectControlCharacters(what: string, value: string): void {
  // A newline would end the directive and let the rest of the value become a directive of its own.
  const hasControl = [...value].some((char) => {
    const code = char.charCodeAt(0);
    return code < 0x20 || code === 0x7f;
  });
  if (hasControl) {
    throw new ServiceError(
      "SERVICE_BAD_VALUE",
      `${what} contains a control character (${JSON.stringify(value)}); use a path without newlines or tabs`,
    );
  }
}

const PLAIN_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * Quotes one word for a systemd directive: words with spaces or quotes are wrapped in double quotes with `\` and
 * `"` escaped; `%` is doubled everywhere because systemd expands `%h`-style specifiers, and in ExecStart `$` is
 * doubled because systemd expands `$VAR` there.
 */
function systemdWord(value: string, what: string, inExec: boolean): string {
  rejectControlCharacters(what, value);
  let escaped = value.replaceAll("%", "%%");
  if (inExec) escaped = escaped.replaceAll("$", "$$$$");
  if (value !== "" && PLAIN_WORD.test(value)) return escaped;
  return `"${escaped.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
}

/** Renders the systemd user unit that keeps the gateway running (`Restart=always`). Same input, same text. */
export function renderSystemdUnit(o: ServiceUnitOptions): string {
  const description = o.description ?? DEFAULT_SERVICE_DESCRIPTION;
  rejectControlCharacters("description", description);
  const execStart = gatewayArgv(o)
    .map((word, index) =>
      systemdWord(word, index === 0 ? "node path" : index === 1 ? "CLI path" : "argument", true),
    )
    .join(" ");
  const environment = serviceEnvironment(o).map(
    ([name, value]) => `Environment=${systemdWord(`${name}=${value}`, name, false)}`,
  );
  return [
    "[Unit]",
    `Description=${description.replaceAll("%", "%%")}`,
    "After=network-online.target",
    "Wants=network-online.target",
    "",
    "[Service]",
    "Type=simple",
    `ExecStart=${execStart}`,
    ...environment,
    "Restart=always",
    "RestartSec=2",
    "",
    "[Install]",
    "WantedBy=default.target",
    "",
  ].join("\n");
}
