import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Output } from "../../output.js";
import {
  execFileRun,
  type RunCommand,
  type RunResult,
  runServiceCommand,
  type ServiceDeps,
} from "./run-service-command.js";
import { ServiceError } from "./service-error.js";
import { renderSystemdUnit } from "./systemd-unit.js";

let home: string;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), "openclaw service home "));
});

afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

function capture(): Output & { text: () => string; errors: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    text: () => out.join("\n"),
    errors: () => err.join("\n"),
  };
}

function recorder(answer: (cmd: string, args: string[]) => RunResult | Promise<RunResult> = () => ok()) {
  const calls: string[] = [];
  const run: RunCommand = async (cmd, args) => {
    calls.push([cmd, ...args].join(" "));
    return answer(cmd, args);
  };
  return { calls, run };
}

function ok(stdout = ""): RunResult {
  return { code: 0, stdout, stderr: "" };
}

function linuxDeps(run: RunCommand, extra: Partial<ServiceDeps> = {}): ServiceDeps {
  return {
    platform: "linux",
    homeDir: home,
    env: {},
    run,
    nodePath: "/usr/bin/node",
    cliPath: "/opt/open claw/dist/bin.js",
    ...extra,
  };
}

const unitPath = () => join(home, ".config", "systemd", "user", "openclaw-gateway.service");

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

describe("runServiceCommand on Linux (systemd)", () => {
  it("install writes the unit and runs daemon-reload then enable --now", async () => {
    const { calls, run } = recorder();
    const output = capture();
    expect(await runServiceCommand("install", {}, output, linuxDeps(run))).toBe(0);

    const written = await readFile(unitPath(), "utf8");
    expect(written).toBe(
      renderSystemdUnit({
        nodePath: "/usr/bin/node",
        cliPath: "/opt/open claw/dist/bin.js",
        stateDir: join(home, ".openclaw"),
      }),
    );
    expect(written).toContain('ExecStart=/usr/bin/node "/opt/open claw/dist/bin.js" gateway --foreground');
    expect(calls).toEqual([
      "systemctl --user daemon-reload",
      "systemctl --user enable --now openclaw-gateway.service",
    ]);
    expect(output.text()).toContain(unitPath());
  });

  it("reinstall restarts so the running gateway picks up the new unit", async () => {
    const { calls, run } = recorder();
    await runServiceCommand("install", {}, capture(), linuxDeps(run));
    calls.length = 0;
    await runServiceCommand("install", {}, capture(), linuxDeps(run));
    expect(calls).toEqual([
      "systemctl --user daemon-reload",
      "systemctl --user enable --now openclaw-gateway.service",
      "systemctl --user restart openclaw-gateway.service",
    ]);
  });

  it("pins OPENCLAW_STATE_DIR and an explicit OPENCLAW_CONFIG_PATH, never a token", async () => {
    const { run } = recorder();
    const env = {
      OPENCLAW_STATE_DIR: join(home, "state dir"),
      OPENCLAW_CONFIG_PATH: join(home, "cfg.json"),
      OPENCLAW_GATEWAY_TOKEN: "secret-token-value",
    };
    await runServiceCommand("install", {}, capture(), linuxDeps(run, { env }));
    const written = await readFile(unitPath(), "utf8");
    expect(written).toContain(`Environment="OPENCLAW_STATE_DIR=${join(home, "state dir")}"`);
    expect(written).toContain(`Environment="OPENCLAW_CONFIG_PATH=${join(home, "cfg.json")}"`);
    expect(written).not.toContain("secret-token-value");
  });

  it("--dry-run prints the unit and the commands and writes or runs nothing", async () => {
    const { calls, run } = recorder();
    const output = capture();
    expect(await runServiceCommand("install", { dryRun: true }, output, linuxDeps(run))).toBe(0);
    expect(calls).toEqual([]);
    expect(await exists(join(home, ".config"))).toBe(false);
    expect(output.text()).toContain("Restart=always");
    expect(output.text()).toContain("systemctl --user daemon-reload");
    expect(output.text()).toContain("systemctl --user enable --now openclaw-gateway.service");
  });

  it("--dry-run --json gives the content and the commands as argv arrays", async () => {
    const { run } = recorder();
    const output = capture();
    await runServiceCommand("install", { dryRun: true, json: true }, output, linuxDeps(run));
    const report = JSON.parse(output.text());
    expect(report).toMatchObject({ action: "install", manager: "systemd", path: unitPath(), dryRun: true });
    expect(report.content).toContain("WantedBy=default.target");
    expect(report.commands).toEqual([
      ["systemctl", "--user", "daemon-reload"],
      ["systemctl", "--user", "enable", "--now", "openclaw-gateway.service"],
    ]);
  });

  it("uninstall disables, removes the unit and reloads", async () => {
    const { calls, run } = recorder();
    await runServiceCommand("install", {}, capture(), linuxDeps(run));
    calls.length = 0;
    expect(await runServiceCommand("uninstall", {}, capture(), linuxDeps(run))).toBe(0);
    expect(await exists(unitPath())).toBe(false);
    expect(calls).toEqual([
      "systemctl --user disable --now openclaw-gateway.service",
      "systemctl --user daemon-reload",
    ]);
  });

  it("uninstall when nothing is installed says so and runs nothing", async () => {
    const { calls, run } = recorder();
    const output = capture();
    expect(await runServiceCommand("uninstall", {}, output, linuxDeps(run))).toBe(0);
    expect(calls).toEqual([]);
    expect(output.text()).toMatch(/not installed/);
  });

  it("restart runs systemctl restart, and refuses when not installed", async () => {
    const { calls, run } = recorder();
    await expect(runServiceCommand("restart", {}, capture(), linuxDeps(run))).rejects.toMatchObject({
      code: "SERVICE_NOT_INSTALLED",
    });
    await runServiceCommand("install", {}, capture(), linuxDeps(run));
    calls.length = 0;
    expect(await runServiceCommand("restart", {}, capture(), linuxDeps(run))).toBe(0);
    expect(calls).toEqual(["systemctl --user restart openclaw-gateway.service"]);
  });

  it("status reports installed and the is-active answer (including inactive, exit 3), with --json", async () => {
    const notInstalled = capture();
    const { run: never } = recorder();
    await runServiceCommand("status", { json: true }, notInstalled, linuxDeps(never));
    expect(JSON.parse(notInstalled.text())).toMatchObject({ installed: false, state: null });

    const { run } = recorder((_cmd, args) =>
      args.includes("is-active") ? { code: 3, stdout: "inactive\n", stderr: "" } : ok(),
    );
    await runServiceCommand("install", {}, capture(), linuxDeps(run));
    const json = capture();
    expect(await runServiceCommand("status", { json: true }, json, linuxDeps(run))).toBe(0);
    expect(JSON.parse(json.text())).toEqual({
      action: "status",
      manager: "systemd",
      path: unitPath(),
      installed: true,
      state: "inactive",
    });
    const text = capture();
    await runServiceCommand("status", {}, text, linuxDeps(run));
    expect(text.text()).toMatch(/State:\s+inactive/);
  });

  it("a missing systemctl gives a clear message pointing at the foreground, and leaves no unit behind", async () => {
    const run: RunCommand = async (cmd) => {
      throw Object.assign(new Error(`spawn ${cmd} ENOENT`), { code: "ENOENT" });
    };
    const failure = await runServiceCommand("install", {}, capture(), linuxDeps(run)).catch((error) => error);
    expect(failure).toBeInstanceOf(ServiceError);
    expect(failure.code).toBe("SERVICE_MANAGER_MISSING");
    expect(failure.message).toMatch(/systemctl was not found/);
    expect(failure.message).toContain("`openclaw gateway`");
    expect(await exists(unitPath())).toBe(false);
  });

  it("an unavailable user bus gives a clear message, and a reinstall keeps the previous unit", async () => {
    await mkdir(join(home, ".config", "systemd", "user"), { recursive: true });
    await writeFile(unitPath(), "previous unit\n");
    const { run } = recorder(() => ({
      code: 1,
      stdout: "",
      stderr: "Failed to connect to bus: No medium found\n",
    }));
    const failure = await runServiceCommand("install", {}, capture(), linuxDeps(run)).catch((error) => error);
    expect(failure).toMatchObject({ code: "SERVICE_BUS_UNAVAILABLE" });
    expect(failure.message).toContain("Failed to connect to bus: No medium found");
    expect(failure.message).toContain("`openclaw gateway`");
    expect(await readFile(unitPath(), "utf8")).toBe("previous unit\n");
  });

  it("a systemctl failure of another kind names the command and its error", async () => {
    const { run } = recorder((_cmd, args) =>
      args.includes("enable") ? { code: 1, stdout: "", stderr: "Unit file is masked.\n" } : ok(),
    );
    await expect(runServiceCommand("install", {}, capture(), linuxDeps(run))).rejects.toThrow(
      /systemctl --user enable --now openclaw-gateway.service` failed with exit code 1: Unit file is masked/,
    );
  });
});

describe("runServiceCommand on other platforms", () => {
  it("macOS writes the LaunchAgent, creates the log dir and bootstraps it", async () => {
    const { calls, run } = recorder();
    const deps: ServiceDeps = { ...linuxDeps(run), platform: "darwin", uid: 501 };
    expect(await runServiceCommand("install", {}, capture(), deps)).toBe(0);
    const plistPath = join(home, "Library", "LaunchAgents", "ai.openclaw.gateway.plist");
    const plist = await readFile(plistPath, "utf8");
    expect(plist).toContain("<string>/opt/open claw/dist/bin.js</string>");
    expect(plist).toContain("<key>KeepAlive</key>\n  <true/>");
    expect(await exists(join(home, ".openclaw", "logs"))).toBe(true);
    expect(calls).toEqual([
      "launchctl bootout gui/501/ai.openclaw.gateway",
      `launchctl bootstrap gui/501 ${plistPath}`,
      "launchctl kickstart gui/501/ai.openclaw.gateway",
    ]);

    calls.length = 0;
    await runServiceCommand("uninstall", {}, capture(), deps);
    expect(calls).toEqual(["launchctl bootout gui/501/ai.openclaw.gateway"]);
    expect(await exists(plistPath)).toBe(false);
  });

  it("Windows fails with a clear not-supported-yet error", async () => {
    const { calls, run } = recorder();
    await expect(
      runServiceCommand("install", {}, capture(), { ...linuxDeps(run), platform: "win32" }),
    ).rejects.toMatchObject({
      code: "SERVICE_UNSUPPORTED_PLATFORM",
      message: expect.stringMatching(/not supported yet/),
    });
    expect(calls).toEqual([]);
  });
});

describe("execFileRun", () => {
  it("resolves with the exit code and output, and rejects with ENOENT for a missing program", async () => {
    const result = await execFileRun(process.execPath, ["-e", "process.stdout.write('hi'); process.exit(3)"]);
    expect(result).toEqual({ code: 3, stdout: "hi", stderr: "" });
    await expect(execFileRun("openclaw-no-such-program", [])).rejects.toMatchObject({ code: "ENOENT" });
  });
});
