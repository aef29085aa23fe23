import type { ConfigReloadPlan, GatewayServer, resolveGatewayCredential } from "@openclaw/gateway";
import { CliError } from "../cli-error.js";
import { cliCommand } from "../cli-invocation.js";
import type { Output } from "../output.js";
import { channelsLine, type StartupLine, settledChannelsStatus, startupBox } from "./startup-box.js";

export interface GatewayCommandOptions {
  port?: string;
  bind?: string;
  auth?: string;
  token?: string;
  password?: string;
  foreground?: boolean;
  verbose?: boolean;
}

/** How long the box waits for configured channels to connect before it reports them as still connecting. */
const CHANNEL_SETTLE_MS = 5_000;

const BIND_MODES = ["loopback", "lan", "tailnet", "auto", "custom"] as const;
const AUTH_MODES = ["token", "password", "none"] as const;

function parseChoice<T extends string>(
  flag: string,
  value: string | undefined,
  choices: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new CliError(`${flag} must be one of ${choices.join(", ")} (got "${value}")`, 2);
}

function parsePortFlag(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new CliError(`--port must be a number between 0 and 65535 (got "${value}")`, 2);
  }
  return port;
}

type CredentialSource = Awaited<ReturnType<typeof resolveGatewayCredential>>["source"];

const CREDENTIAL_ENV = {
  token: { flag: "--token", value: "OPENCLAW_GATEWAY_TOKEN", file: "OPENCLAW_GATEWAY_TOKEN_FILE" },
  password: {
    flag: "--password",
    value: "OPENCLAW_GATEWAY_PASSWORD",
    file: "OPENCLAW_GATEWAY_PASSWORD_FILE",
  },
} as const;

/** Where the secret came from, in the words of the startup box; never the secret itself. */
function describeCredentialSource(
  kind: "token" | "password",
  source: CredentialSource,
  configPath: string,
): string {
  const names = CREDENTIAL_ENV[kind];
  switch (source) {
    case "flag":
      return `the ${names.flag} flag`;
    case "env":
      return `the ${names.value} environment variable`;
    case "env-file":
      return `the file ${process.env[names.file]?.trim()} (${names.file})`;
    case "generated":
      return `a new token, saved to ${configPath}`;
    default:
      return `gateway.auth.${kind} in ${configPath}`;
  }
}

/**
 * A secret on the command line can be read by every local user (`ps`, /proc/<pid>/cmdline) while the gateway runs,
 * and overwriting argv afterwards does not close that window, so the only fix is to say so and name the alternatives.
 */
function commandLineSecretWarning(kind: "token" | "password"): string {
  const names = CREDENTIAL_ENV[kind];
  return (
    `warning: ${names.flag} is visible to every user of this machine (ps, /proc/<pid>/cmdline) for as long as ` +
    `the gateway runs. Pass it in ${names.value} or put it in a file only you can read (chmod 600) and set ` +
    `${names.file} to its path instead.`
  );
}

/** `openclaw gateway`: resolves the credential (generating a token on first run), starts, prints the box. */
export async function runGatewayCommand(options: GatewayCommandOptions, output: Output): Promise<number> {
  const gateway = await import("@openclaw/gateway");
  const port = parsePortFlag(options.port);
  const bind = parseChoice("--bind", options.bind, BIND_MODES);
  const authMode = parseChoice("--auth", options.auth, AUTH_MODES);
  const paths = gateway.resolveConfigPaths();

  const loaded = await gateway.loadConfig(paths.configPath);
  const credential = await gateway.resolveGatewayCredential({
    config: loaded.config,
    flagToken: options.token,
    flagPassword: options.password,
    flagMode: authMode,
  });
  let generatedToken: string | undefined;
  if (credential.mode === "token" && !credential.secret) {
    const ensured = await gateway.ensureGatewayToken(paths);
    if (ensured.created) generatedToken = ensured.token;
  }
  if (credential.mode === "password" && !credential.secret) {
    throw new CliError(
      `auth mode is password but no password is set: pass --password, set OPENCLAW_GATEWAY_PASSWORD or run \`${cliCommand()} config set gateway.auth.password <password>\``,
    );
  }

  // A config edit that needs a restart (new port, bind, TLS, ...) restarts the gateway in this process; the
  // shutdown event tells clients to expect it back.
  let requestRestart: (plan: ConfigReloadPlan) => void = () => undefined;
  const start = async (): Promise<GatewayServer> => {
    try {
      return await gateway.startGatewayServer(port, {
        bind,
        auth: { mode: authMode, token: options.token, password: options.password },
        consoleLog: true,
        logLevel: options.verbose ? "debug" : "info",
        onRestartRequired: (plan) => requestRestart(plan),
      });
    } catch (error) {
      throw new CliError(error instanceof Error ? error.message : String(error));
    }
  };
  let server = await start();

  const source: CredentialSource = generatedToken
    ? "generated"
    : credential.secret
      ? credential.source
      : "config";
  const cli = cliCommand();
  const lines: StartupLine[] = [
    { mark: "ok", label: "WebSocket", value: server.url },
    server.controlUiUrl
      ? { mark: "ok", label: "Control UI", value: server.controlUiUrl }
      : { mark: "off", label: "Control UI", value: "off (gateway.controlUi.enabled is false)" },
    server.authMode === "none"
      ? { mark: "warn", label: "Auth", value: "none (loopback only)" }
      : {
          mark: "ok",
          label: "Auth",
          value: `${server.authMode} (from ${describeCredentialSource(server.authMode, source, paths.configPath)})`,
        },
    channelsLine(await settledChannelsStatus(() => server.runtime.channels.status(), CHANNEL_SETTLE_MS), cli),
    { label: "Health", value: `${server.httpUrl}/v1/health` },
    { label: "Config", value: paths.configPath },
    { label: "Logs", value: server.logFile },
    { label: "CLI", value: `${cli} status | ${cli} channels status | ${cli} --help` },
  ];
  if (server.tailscaleUrl) lines.splice(1, 0, { mark: "ok", label: "Tailscale", value: server.tailscaleUrl });
  if (server.portFallback) {
    lines.splice(1, 0, {
      mark: "warn",
      label: "Port",
      value: `${server.requestedPort} was taken; using ${server.port}`,
    });
  }
  output.out(startupBox(`OpenClaw Gateway v${gateway.GATEWAY_VERSION}`, lines));
  if (generatedToken) {
    output.out(`Token: ${generatedToken}`);
    output.out(
      `  Clients connect with this token: \`${cli} health\` on this machine reads it from the config; elsewhere set ` +
        `OPENCLAW_GATEWAY_TOKEN, or paste it into the Control UI sign-in.\n  It is stored in ${paths.configPath} (mode 0600); rotate it with \`${cli} config set gateway.auth.token <new>\`.`,
    );
  } else if (server.authMode === "token") {
    output.out(
      source === "config"
        ? `Token: stored in your config; print it with \`${cli} config get gateway.auth.token --show-secrets\``
        : `Token: from ${describeCredentialSource("token", source, paths.configPath)}, not stored in your config`,
    );
  }
  // On stdout with the rest of the startup text, so it is read (and logged) in order with the box.
  if (source === "flag" && server.authMode !== "none") output.out(commandLineSecretWarning(server.authMode));
  output.out("Press Ctrl+C to stop.");

  let exitCode = 0;
  await new Promise<void>((resolve) => {
    let restarting: Promise<void> | undefined;
    let stopped = false;
    requestRestart = (plan) => {
      if (restarting || stopped) return;
      output.err(`config changed (${plan.restartPaths.join(", ")}): restarting the gateway`);
      restarting = (async () => {
        await server.close({ reason: "restarting to apply config changes", restartExpectedMs: 2_000 });
        try {
          server = await start();
          output.err(`gateway restarted on ${server.url}`);
        } catch (error) {
          output.err(
            `${(error as Error).message}\nthe gateway could not restart: fix the config and run \`${cliCommand()} gateway\` again`,
          );
          exitCode = 1;
          stop();
        }
        restarting = undefined;
      })();
    };
    const stop = (signal?: NodeJS.Signals) => {
      if (stopped) return;
      stopped = true;
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      if (signal) output.err(`\nreceived ${signal}: shutting down`);
      void (restarting ?? Promise.resolve())
        .then(() =>
          server.close({ reason: signal === "SIGTERM" ? "gateway stopping (SIGTERM)" : "gateway stopping" }),
        )
        .then(resolve, resolve);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  return exitCode;
}
