import { execFile } from "node:child_process";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { resolveConfigPaths } from "@openclaw/gateway";
import { type Output, printJson } from "../../output.js";
import { LAUNCHD_LABEL, launchdLogPaths, renderLaunchdPlist } from "./launchd-plist.js";
import { FOREGROUND_HINT, ServiceError } from "./service-error.js";
import { renderSystemdUnit, type ServiceUnitOptions, SYSTEMD_UNIT_NAME } from "./systemd-unit.js";

export type ServiceAction = "install" | "uninstall" | "restart" | "status";

export interface ServiceCommandOptions {
  json?: boolean;
  /** Print the file and the commands instead of writing or running anything. */
  dryRun?: boolean;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program without a shell; resolves with its exit code, rejects when it cannot start (ENOENT). */
export type RunCommand = (cmd: string, args: string[]) => Promise<RunResult>;

/** What the command reads from and does to its surroundings; tests replace them. */
export interface ServiceDeps {
  platform?: NodeJS.Platform;
  homeDir?: string;
  env?: NodeJS.ProcessEnv;
  run?: RunCommand;
  /** Default: the running node (`process.execPath`). */
  nodePath?: string;
  /** Default: the running CLI script (`process.argv[1]`). */
  cliPath?: string;
  /** Default: `process.getuid()`; names the launchd GUI domain. */
  uid?: number;
}

const RUN_TIMEOUT_MS = 30_000;

export const execFileRun: RunCommand = (cmd, args) =>
  new Promise((resolvePromise, reject) => {
    execFile(cmd, args, { encoding: "utf8", timeout: RUN_TIMEOUT_MS }, (error, stdout, stderr) => {
      if (error && typeof error.code !== "number") {
        reject(error);
        return;
      }
      resolvePromise({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });

interface Step {
  argv: [string, ...string[]];
  /** A non-zero exit is expected here (e.g. unloading a job that is not loaded) and is not an error. */
  mayFail?: boolean;
}

interface ServiceManager {
  kind: "systemd" | "launchd";
  describe: string;
  filePath: string;
  content: string;
  /** Directories the service needs besides the one holding its file. */
  extraDirs: string[];
  install(wasInstalled: boolean): Step[];
  /** Run before the file is removed. */
  stop: Step[];
  /** Run after the file is removed. */
  afterRemove: Step[];
  restart: Step[];
  status: Step;
  /** Turns the status command's result into a state word (`active`, `inactive`, `running`, `not loaded`…). */
  readState(result: RunResult): string;
  logsHint: string;
}

function systemdManager(homeDir: string, unit: ServiceUnitOptions): ServiceManager {
  const systemctl = (...args: string[]): Step["argv"] => ["systemctl", "--user", ...args];
  return {
    kind: "systemd",
    describe: `systemd user unit ${SYSTEMD_UNIT_NAME}`,
    filePath: join(homeDir, ".config", "systemd", "user", SYSTEMD_UNIT_NAME),
    content: renderSystemdUnit(unit),
    extraDirs: [],
    install: (wasInstalled) => [
      { argv: systemctl("daemon-reload") },
      { argv: systemctl("enable", "--now", SYSTEMD_UNIT_NAME) },
      // enable --now leaves an already running gateway on the old unit; restart picks up the new one.
      ...(wasInstalled ? [{ argv: systemctl("restart", SYSTEMD_UNIT_NAME) }] : []),
    ],
    stop: [{ argv: systemctl("disable", "--now", SYSTEMD_UNIT_NAME), mayFail: true }],
    afterRemove: [{ argv: systemctl("daemon-reload") }],
    restart: [{ argv: systemctl("restart", SYSTEMD_UNIT_NAME) }],
    // is-active exits 3 for an inactive unit; its stdout is the answer either way.
    status: { argv: systemctl("is-active", SYSTEMD_UNIT_NAME), mayFail: true },
    readState: (result) => result.stdout.trim().split("\n")[0] || "unknown",
    logsHint: `journalctl --user -u ${SYSTEMD_UNIT_NAME} -f`,
  };
}

function launchdManager(homeDir: string, uid: number, unit: ServiceUnitOptions): ServiceManager {
  const domain = `gui/${uid}`;
  const target = `${domain}/${LAUNCHD_LABEL}`;
  const filePath = join(homeDir, "Library", "LaunchAgents", `${LAUNCHD_LABEL}.plist`);
  const logs = launchdLogPaths(unit.stateDir);
  return {
    kind: "launchd",
    describe: `LaunchAgent ${LAUNCHD_LABEL}`,
    filePath,
    content: renderLaunchdPlist(unit),
    extraDirs: [logs.dir],
    install: () => [
      // bootstrap refuses a label that is already loaded, so unload first; "not loaded" is fine.
      { argv: ["launchctl", "bootout", target], mayFail: true },
      { argv: ["launchctl", "bootstrap", domain, filePath] },
      { argv: ["launchctl", "kickstart", target] },
    ],
    stop: [{ argv: ["launchctl", "bootout", target], mayFail: true }],
    afterRemove: [],
    restart: [{ argv: ["launchctl", "kickstart", "-k", target] }],
    status: { argv: ["launchctl", "print", target], mayFail: true },
    readState: (result) =>
      result.code === 0 ? (/^\s*state = (.+)$/m.exec(result.stdout)?.[1]?.trim() ?? "loaded") : "not loaded",
    logsHint: logs.out,
  };
}

const BUS_UNAVAILABLE =
  /Failed to connect to (the )?bus|user scope bus|not been booted with systemd|DBUS_SESSION_BUS_ADDRESS|XDG_RUNTIME_DIR/i;

function firstLine(text: string): string {
  return text.trim().split("\n")[0] ?? "";
}

async function runStep(run: RunCommand, step: Step): Promise<RunResult> {
  const [cmd, ...args] = step.argv;
  let result: RunResult;
  try {
    result = await run(cmd, args);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new ServiceError(
        "SERVICE_MANAGER_MISSING",
        `${cmd} was not found, so the gateway cannot be managed as a service on this machine ` +
          `(common in containers); ${FOREGROUND_HINT}`,
      );
    }
    throw new ServiceError(
      "SERVICE_COMMAND_FAILED",
      `\`${step.argv.join(" ")}\` could not run (${(error as Error).message}); ${FOREGROUND_HINT}`,
    );
  }
  if (
    cmd === "systemctl" &&
    result.code !== 0 &&
    BUS_UNAVAILABLE.test(`${result.stderr}\n${result.stdout}`)
  ) {
    throw new ServiceError(
      "SERVICE_BUS_UNAVAILABLE",
      `the systemd user session is not available (${firstLine(result.stderr || result.stdout)}); ` +
        "log in to a full user session (for a headless host: `sudo loginctl enable-linger $USER`), " +
        `or ${FOREGROUND_HINT}`,
    );
  }
  if (result.code !== 0 && !step.mayFail) {
    const detail = firstLine(result.stderr || result.stdout);
    throw new ServiceError(
      "SERVICE_COMMAND_FAILED",
      `\`${step.argv.join(" ")}\` failed with exit code ${result.code}${detail ? `: ${detail}` : ""}; ` +
        `fix the service manager or ${FOREGROUND_HINT}`,
    );
  }
  return result;
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

function managerFor(deps: ServiceDeps): ServiceManager {
  const platform = deps.platform ?? process.platform;
  if (platform === "win32") {
    throw new ServiceError(
      "SERVICE_UNSUPPORTED_PLATFORM",
      `installing the gateway as a Windows service is not supported yet; ${FOREGROUND_HINT}`,
    );
  }
  if (platform !== "linux" && platform !== "darwin") {
    throw new ServiceError(
      "SERVICE_UNSUPPORTED_PLATFORM",
      `installing the gateway as a service is not supported on ${platform} yet (systemd on Linux and launchd on ` +
        `macOS are); ${FOREGROUND_HINT}`,
    );
  }
  const env = deps.env ?? process.env;
  const homeDir = deps.homeDir ?? homedir();
  const paths = resolveConfigPaths({ env: { ...env, HOME: homeDir } });
  const cliPath = deps.cliPath ?? process.argv[1];
  if (!cliPath) {
    throw new ServiceError(
      "SERVICE_BAD_VALUE",
      "cannot tell where the openclaw CLI script is; run it through node",
    );
  }
  const unit: ServiceUnitOptions = {
    nodePath: deps.nodePath ?? process.execPath,
    cliPath: resolve(cliPath),
    stateDir: paths.stateDir,
    // Pinned only when chosen explicitly; otherwise the gateway derives it from the state dir as usual.
    ...(env.OPENCLAW_CONFIG_PATH?.trim() ? { configPath: paths.configPath } : {}),
  };
  if (platform === "linux") return systemdManager(homeDir, unit);
  return launchdManager(homeDir, deps.uid ?? process.getuid?.() ?? 0, unit);
}

function printLines(output: Output, lines: string[]): void {
  output.out(lines.join("\n"));
}

/**
 * `openclaw gateway install|uninstall|restart|status`: manages the gateway as a systemd user service (Linux) or a
 * LaunchAgent (macOS) that restarts it whenever it exits. Resolves to the exit code; failures are ServiceErrors
 * (CliErrors) whose message says how to run the gateway in the foreground instead.
 */
export async function runServiceCommand(
  action: ServiceAction,
  options: ServiceCommandOptions,
  output: Output,
  deps: ServiceDeps = {},
): Promise<number> {
  const manager = managerFor(deps);
  const run = deps.run ?? execFileRun;
  const show = (step: Step) => step.argv.join(" ");
  const base = { action, manager: manager.kind, path: manager.filePath };

  if (action === "status") {
    const existing = await readIfExists(manager.filePath);
    const installed = existing !== undefined;
    const state = installed ? manager.readState(await runStep(run, manager.status)) : null;
    if (options.json) {
      printJson(output, { ...base, installed, state });
    } else {
      output.out(
        [
          `Service:   ${manager.describe}`,
          `File:      ${manager.filePath}${installed ? "" : " (not installed)"}`,
          `State:     ${state ?? "not installed (install with `openclaw gateway install`)"}`,
        ].join("\n"),
      );
    }
    return 0;
  }

  const existing = await readIfExists(manager.filePath);
  const wasInstalled = existing !== undefined;

  if (action === "install") {
    const steps = manager.install(wasInstalled);
    if (options.dryRun) {
      if (options.json) {
        printJson(output, {
          ...base,
          dryRun: true,
          content: manager.content,
          commands: steps.map((s) => s.argv),
        });
      } else {
        printLines(output, [
          `# would write ${manager.filePath}:`,
          manager.content,
          "# would run:",
          ...steps.map(show),
        ]);
      }
      return 0;
    }
    await mkdir(dirname(manager.filePath), { recursive: true });
    for (const dir of manager.extraDirs) await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeFile(manager.filePath, manager.content, { mode: 0o644 });
    try {
      for (const step of steps) await runStep(run, step);
    } catch (error) {
      // Leave the machine as it was: no half-installed unit the service manager never heard of.
      if (existing === undefined) await rm(manager.filePath, { force: true });
      else await writeFile(manager.filePath, existing);
      throw error;
    }
    if (options.json) {
      printJson(output, { ...base, installed: true, commands: steps.map((s) => s.argv) });
    } else {
      const lines = [
        `Installed the gateway as ${manager.describe}: ${manager.filePath}`,
        "It runs now, starts at login and restarts whenever it exits.",
        `Logs: ${manager.logsHint}`,
      ];
      if (manager.kind === "systemd") {
        lines.push("To keep it running after you log out: sudo loginctl enable-linger $USER");
      }
      output.out(lines.join("\n"));
    }
    return 0;
  }

  if (!wasInstalled) {
    if (action === "restart") {
      throw new ServiceError(
        "SERVICE_NOT_INSTALLED",
        `the gateway service is not installed (${manager.filePath} is missing); install it with ` +
          `\`openclaw gateway install\`, or ${FOREGROUND_HINT}`,
      );
    }
    if (options.json) printJson(output, { ...base, installed: false, removed: false });
    else
      output.out(`The gateway service is not installed (${manager.filePath} is missing); nothing to remove.`);
    return 0;
  }

  if (action === "restart") {
    if (options.dryRun) {
      if (options.json)
        printJson(output, { ...base, dryRun: true, commands: manager.restart.map((s) => s.argv) });
      else printLines(output, ["# would run:", ...manager.restart.map(show)]);
      return 0;
    }
    for (const step of manager.restart) await runStep(run, step);
    if (options.json) printJson(output, { ...base, restarted: true });
    else output.out(`Restarted the gateway (${manager.describe}).`);
    return 0;
  }

  // uninstall
  if (options.dryRun) {
    if (options.json) {
      printJson(output, {
        ...base,
        dryRun: true,
        commands: manager.stop.map((s) => s.argv),
        remove: manager.filePath,
        commandsAfterRemove: manager.afterRemove.map((s) => s.argv),
      });
    } else {
      printLines(output, [
        "# would run:",
        ...manager.stop.map(show),
        `# would remove ${manager.filePath}`,
        ...(manager.afterRemove.length > 0 ? ["# then run:", ...manager.afterRemove.map(show)] : []),
      ]);
    }
    return 0;
  }
  for (const step of manager.stop) await runStep(run, step);
  await rm(manager.filePath, { force: true });
  for (const step of manager.afterRemove) await runStep(run, step);
  if (options.json) printJson(output, { ...base, installed: false, removed: true });
  else output.out(`Stopped and removed the gateway service (${manager.filePath}).`);
  return 0;
}
