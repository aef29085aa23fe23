import { Command, CommanderError } from "commander";
import { CliError } from "./cli-error.js";
import { addNodeCommands } from "./commands/node-program.js";
import { addUsageCommands } from "./commands/usage-program.js";
import { addWizardOptions } from "./commands/wizard/wizard-flags.js";
import { addCronCommands } from "./cron-program.js";
import { type Output, processOutput } from "./output.js";
import {
  addTargetOptions,
  CLIENT_PASSWORD_SOURCES,
  CLIENT_TOKEN_SOURCES,
  FLAG_IS_PUBLIC,
} from "./program-support.js";

export { CliError } from "./cli-error.js";

/** Replaced at build and test time with package.json's version (tsup and vitest `define`). */
declare const __OPENCLAW_PACKAGE_VERSION__: string;
export const CLI_VERSION: string = __OPENCLAW_PACKAGE_VERSION__;

/** Builds the `openclaw` command tree; every action resolves to an exit code. */
export function buildProgram(output: Output, setExitCode: (code: number) => void): Command {
  const program = new Command("openclaw")
    .description("Run and operate an OpenClaw Gateway")
    .version(CLI_VERSION, "-v, --version", "print the version")
    .showHelpAfterError()
    .configureOutput({ writeOut: (text) => output.out(text), writeErr: (text) => output.err(text) });

  const run =
    <A extends unknown[]>(action: (...args: A) => Promise<number>) =>
    async (...args: A) => {
      setExitCode(await action(...args));
    };

  const gateway = program
    .command("gateway")
    .description("start the gateway (WebSocket + HTTP on one port) in the foreground")
    .option(
      "--port <port>",
      "port to listen on (default 18789; an explicit port is never swapped for another)",
    )
    .option("--bind <mode>", "loopback | lan | tailnet | auto | custom")
    .option("--auth <mode>", "token | password | none")
    .option(
      "--token <token>",
      `shared token clients must present; ${FLAG_IS_PUBLIC}: prefer OPENCLAW_GATEWAY_TOKEN or OPENCLAW_GATEWAY_TOKEN_FILE`,
    )
    .option(
      "--password <password>",
      `shared password clients must present; ${FLAG_IS_PUBLIC}: prefer OPENCLAW_GATEWAY_PASSWORD or OPENCLAW_GATEWAY_PASSWORD_FILE`,
    )
    .option(
      "--foreground",
      "run in this terminal (the default; `openclaw gateway install` runs it as a service)",
    )
    .option("--verbose", "debug logging")
    .action(
      run(async (options) => {
        const { runGatewayCommand } = await import("./commands/gateway-command.js");
        return runGatewayCommand(options, output);
      }),
    );

  for (const action of ["install", "uninstall", "restart", "status"] as const) {
    gateway
      .command(action)
      .description(
        action === "status"
          ? "is the background service installed and running? (see `openclaw status` for the gateway itself)"
          : `${action} the gateway as a background service (systemd user unit / launchd agent, Restart=always)`,
      )
      .option("--json", "JSON output")
      .option("--dry-run", "print the service file and commands without changing anything")
      .action(
        run(async (options: { json?: boolean; dryRun?: boolean }) => {
          const { runServiceCommand } = await import("./commands/service/run-service-command.js");
          return runServiceCommand(action, options, output);
        }),
      );
  }

  addTargetOptions(
    gateway
      .command("call <method>")
      .description("call any gateway method and print its payload as JSON")
      .option("--params <json>", "method params as JSON")
      .option("--json", "JSON output (always on for call)"),
  ).action(
    run(async (method: string, options) => {
      const { runCall } = await import("./commands/rpc-commands.js");
      return runCall(method, options, output);
    }),
  );

  addTargetOptions(
    program.command("health").description("check that the gateway answers").option("--json"),
  ).action(
    run(async (options) => {
      const { runHealth } = await import("./commands/rpc-commands.js");
      return runHealth(options, output);
    }),
  );

  addTargetOptions(
    program.command("status").description("show what the gateway is doing").option("--json"),
  ).action(
    run(async (options) => {
      const { runStatus } = await import("./commands/rpc-commands.js");
      return runStatus(options, output);
    }),
  );

  const config = addWizardOptions(
    program
      .command("config")
      .description("change openclaw.json with guided questions (or flags), or get/set single values")
      .option(
        "--section <name>",
        "only this section (repeatable): gateway, tailscale, http, models, channels",
        (value: string, previous: string[] = []) => [...previous, value],
      ),
  ).action(
    run(async (options) => {
      const { runConfigWizard } = await import("./commands/wizard/run-config-wizard.js");
      return runConfigWizard(options.section, options, output);
    }),
  );
  config
    .command("reset")
    .description("keep openclaw.json as a backup and start again from a fresh config with a new token")
    .option("--yes", "do not ask for confirmation")
    .option("--non-interactive", "never prompt (needs --yes)")
    .action(
      run(async (options: { yes?: boolean; nonInteractive?: boolean }) => {
        const { runConfigReset } = await import("./commands/wizard/run-config-reset.js");
        return runConfigReset(options, output);
      }),
    );
  config
    .command("get [path]")
    .description(
      "print the config, a section or one value, e.g. gateway.port; secrets (tokens, passwords, API keys) are redacted",
    )
    .option("--json", "JSON output")
    .option("--show-secrets", "print secrets in clear instead of __OPENCLAW_REDACTED__")
    .action(
      run(async (path: string | undefined, options) => {
        const { runConfigGet } = await import("./commands/config-command.js");
        return runConfigGet(path, options, output);
      }),
    );
  config
    .command("set <path> <value>")
    .description("set one value (JSON5 literal or string), validated before it is saved")
    .action(
      run(async (path: string, value: string) => {
        const { runConfigSet } = await import("./commands/config-command.js");
        return runConfigSet(path, value, output);
      }),
    );

  addWizardOptions(
    program
      .command("onboard")
      .description("first-time setup: gateway, token, model provider, optionally a channel")
      .option("--force", "replace an existing config without asking (the old file is kept as a backup)")
      .option(
        "--skip-bootstrap",
        "save agents.defaults.skipBootstrap: create workspaces without template files",
      ),
  ).action(
    run(async (options) => {
      const { runOnboard } = await import("./commands/wizard/run-onboard.js");
      return runOnboard(options, output);
    }),
  );

  program
    .command("setup")
    .description(
      "create the agents' workspaces (AGENTS.md, SOUL.md, ... templates) without the wizard; safe to rerun",
    )
    .option("--workspace <dir>", "save as agents.defaults.workspace first")
    .option("--skip-bootstrap", "save agents.defaults.skipBootstrap: folders only, no template files")
    .option("--json", "JSON output")
    .action(
      run(async (options) => {
        const { runSetup } = await import("./commands/wizard/run-setup.js");
        return runSetup(options, output);
      }),
    );

  addTargetOptions(
    program
      .command("sessions <action>")
      .description("list | preview | reset | delete | compact | export (offline: --out <dir>)")
      .option("--key <key>", "session key, e.g. agent:main:main")
      .option("--limit <n>", "how many rows or transcript lines")
      .option("--max-lines <n>", "compact: transcript lines to keep")
      .option("--delete-transcript", "delete: remove the transcript file too")
      .option("--out <dir>", "export: a new or empty folder for the legacy sessions.json + JSONL layout")
      .option("--json", "JSON output"),
  ).action(
    run(async (action: string, options) => {
      if (action === "export") {
        const { runSessionsExport } = await import("./commands/sessions-export-command.js");
        return runSessionsExport(options, output);
      }
      const { runSessions } = await import("./commands/rpc-commands.js");
      return runSessions(action, options, output);
    }),
  );

  program
    .command("doctor")
    .description("check this install: config, permissions, port, auth, providers, channels")
    .option("--json", "JSON output")
    .option("--no-probe", "skip provider and channel network checks")
    .option("--url <url>", "gateway WebSocket URL")
    .option("--token <token>", `gateway token (default: ${CLIENT_TOKEN_SOURCES}); ${FLAG_IS_PUBLIC}`)
    .option(
      "--password <password>",
      `gateway password (default: ${CLIENT_PASSWORD_SOURCES}); ${FLAG_IS_PUBLIC}`,
    )
    .option("--timeout <ms>", "per network check", "5000")
    .option("--fix", "repair a damaged session index from the transcripts (stop the gateway first)")
    .action(
      run(async (options) => {
        const { runDoctor } = await import("./commands/doctor/run-doctor.js");
        return runDoctor(options, output);
      }),
    );

  const channels = program.command("channels").description("channel accounts: status, start, stop, logout");
  addTargetOptions(
    channels
      .command("status")
      .description("one row per channel account: Channel, Status, Account, Last Error")
      .option("--probe", "also check each account's credentials with the platform")
      .option("--json", "JSON output"),
  ).action(
    run(async (options) => {
      const { runChannelsStatus } = await import("./commands/channel-commands.js");
      return runChannelsStatus(options, output);
    }),
  );
  channels
    .command("login <channel>")
    .description("link a channel that logs in by QR code (whatsapp): shows the code, waits for the scan")
    .option("--account <id>", "the account to link", "default")
    .action(
      run(async (channel: string, options: { account?: string }) => {
        const { runChannelsLogin } = await import("./commands/channels-login-command.js");
        return runChannelsLogin(channel, options, output);
      }),
    );
  for (const action of ["start", "stop", "logout"] as const) {
    addTargetOptions(
      channels
        .command(`${action} <channel>`)
        .description(`${action} a channel's accounts (or one with --account)`)
        .option("--account <id>", "only this account")
        .option("--json", "JSON output"),
    ).action(
      run(async (channel: string, options) => {
        const { runChannelsToggle } = await import("./commands/channel-commands.js");
        return runChannelsToggle(action, channel, options, output);
      }),
    );
  }

  addTargetOptions(
    program
      .command("pairing <action> [channel] [code]")
      .description(
        "list pending pairing requests, or approve one: openclaw pairing approve telegram ABCD2345",
      )
      .option("--account <id>", "the account the code belongs to")
      .option("--notify", "tell the sender they were approved")
      .option("--json", "JSON output"),
  ).action(
    run(async (action: string, channel: string | undefined, code: string | undefined, options) => {
      const { runPairing } = await import("./commands/channel-commands.js");
      return runPairing(action, channel, code, options, output);
    }),
  );

  addTargetOptions(
    program
      .command("nodes <action> [id]")
      .description("node pairing: pending, approve <requestId>, reject <requestId>, remove <nodeId>")
      .option("--json", "JSON output"),
  ).action(
    run(async (action: string, id: string | undefined, options) => {
      const { runNodes } = await import("./commands/operator-approval-commands.js");
      return runNodes(action, id, options, output);
    }),
  );

  addTargetOptions(
    program
      .command("approvals <action> [id]")
      .description("shell commands waiting for an operator: list, allow <id> [--always], deny <id>")
      .option("--always", "allow this exact command from now on (allow-always)")
      .option("--json", "JSON output"),
  ).action(
    run(async (action: string, id: string | undefined, options) => {
      const { runApprovals } = await import("./commands/operator-approval-commands.js");
      return runApprovals(action, id, options, output);
    }),
  );

  addCronCommands(program, run, output);
  addUsageCommands(program, gateway, run, output);
  addNodeCommands(program, run, output);

  return program;
}

/** Runs the CLI with `argv` (as in `process.argv`) and resolves to the exit code. */
export async function runCli(argv: readonly string[], output: Output = processOutput): Promise<number> {
  let exitCode = 0;
  const program = buildProgram(output, (code) => {
    exitCode = code;
  });
  program.exitOverride();
  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof CliError) {
      output.err(`openclaw: ${error.message}`);
      return error.exitCode;
    }
    throw error;
  }
}
