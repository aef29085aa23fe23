#!/usr/bin/env node
// Checks what the README's commands need before they spend minutes on work that cannot succeed:
//   node scripts/preflight.mjs install   Node.js >= 22.12 (run by pnpm before it installs anything)
//   node scripts/preflight.mjs start     Node.js >= 22.12
//   node scripts/preflight.mjs test      Node.js >= 22.12, and Chromium for the browser tests (installed with
//                                        Debian's apt-get when this user may, otherwise a stop naming the command)
// Written for any Node.js still in use (no newer syntax, no dependencies): its job is to run on the old one.
import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const MIN_NODE = [22, 12];
export const DEFAULT_CHROMIUM = "/usr/bin/chromium";

/** The fix for a Node.js that is too old, in the words we print (also used by the CLI's own check). */
export function nodeVersionProblem(version) {
  const parts = String(version).replace(/^v/, "").split(".").map(Number);
  const major = parts[0] || 0;
  const minor = parts[1] || 0;
  if (major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1])) return undefined;
  return [
    `This project needs Node.js >= ${MIN_NODE.join(".")}; this is Node.js ${String(version).replace(/^v/, "")} (${process.execPath}).`,
    "Get Node.js 24 in one of these ways, then run the same command again:",
    "  npm i --prefix ~/.local/node24 node@24 && export PATH=~/.local/node24/node_modules/.bin:$PATH",
    "      (no root, nothing global: Node 24 from the npm registry, first on PATH in this shell)",
    "  nvm install 24 && nvm use 24",
    "      (with nvm: https://github.com/nvm-sh/nvm)",
    "  or your system's Node.js 24 package: https://nodejs.org/en/download",
  ].join("\n");
}

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name, pathEnv) {
  return (pathEnv || "").split(":").some((dir) => dir && isExecutable(join(dir, name)));
}

/**
 * What to do about Chromium: nothing, install it (as root or with sudo that asks no password), or stop with the
 * command the user must run. Pure, so each branch is tested; `probe` answers the questions about this machine.
 */
export function chromiumPlan(env, probe) {
  const custom = env.OPENCLAW_CHROMIUM_PATH;
  if (custom) {
    if (probe.executable(custom)) return { action: "ok", path: custom };
    return {
      action: "stop",
      message: `OPENCLAW_CHROMIUM_PATH is ${custom}, which is not an executable file: point it at a Chromium or Chrome binary, or unset it to use ${DEFAULT_CHROMIUM}.`,
    };
  }
  if (probe.executable(DEFAULT_CHROMIUM)) return { action: "ok", path: DEFAULT_CHROMIUM };
  const why = `The Control UI and compatibility tests drive a real browser: Chromium at ${DEFAULT_CHROMIUM} (no test tool downloads one).`;
  if (!probe.hasAptGet) {
    return {
      action: "stop",
      message: `${why}\nInstall Chromium with your system's package manager, then run the tests again with OPENCLAW_CHROMIUM_PATH=<path to chromium>.`,
    };
  }
  if (probe.uid === 0) return { action: "install", sudo: false };
  if (probe.passwordlessSudo) return { action: "install", sudo: true };
  return {
    action: "stop",
    message: `${why}\nInstall it once (it needs root), then run the tests again:\n  sudo apt-get install -y chromium`,
  };
}

function machineProbe(env) {
  const hasAptGet = onPath("apt-get", env.PATH);
  const uid = typeof process.getuid === "function" ? process.getuid() : -1;
  const passwordlessSudo =
    hasAptGet && uid !== 0 && onPath("sudo", env.PATH)
      ? spawnSync("sudo", ["-n", "true"], { stdio: "ignore" }).status === 0
      : false;
  return { executable: isExecutable, hasAptGet, uid, passwordlessSudo };
}

function installChromium(sudo) {
  const prefix = sudo ? ["sudo", "-n"] : [];
  const command = `${sudo ? "sudo " : ""}apt-get install -y chromium`;
  process.stderr.write(
    `preflight: Chromium is not installed; the browser tests need it. Running \`${command}\` (a minute or two) ...\n`,
  );
  // apt prints hundreds of lines; they are shown only when it fails.
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [
    ["apt-get", "update", "-qq"],
    ["apt-get", "install", "-y", "-qq", "chromium"],
  ]) {
    const argv = prefix.concat(args);
    const run = spawnSync(argv[0], argv.slice(1), {
      env,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    if (run.status !== 0) {
      const output = `${run.stdout || ""}${run.stderr || ""}`.trim().split("\n").slice(-15).join("\n");
      return `\`${argv.join(" ")}\` failed (exit ${run.status}):\n${output}\nInstall Chromium yourself (${command}) and run the tests again.`;
    }
  }
  if (!isExecutable(DEFAULT_CHROMIUM)) {
    return `apt-get installed chromium but ${DEFAULT_CHROMIUM} is missing: set OPENCLAW_CHROMIUM_PATH to its binary.`;
  }
  process.stderr.write(`preflight: installed ${DEFAULT_CHROMIUM}\n`);
  return undefined;
}

/** Runs the checks for `mode`; returns the exit code. */
export function preflight(mode, env = process.env, version = process.version) {
  const nodeProblem = nodeVersionProblem(version);
  if (nodeProblem) {
    process.stderr.write(`\npreflight: stop.\n${nodeProblem}\n\n`);
    return 1;
  }
  if (mode !== "test") return 0;
  const plan = chromiumPlan(env, machineProbe(env));
  if (plan.action === "stop") {
    process.stderr.write(`\npreflight: stop.\n${plan.message}\n\n`);
    return 1;
  }
  if (plan.action === "install") {
    const failure = installChromium(plan.sudo);
    if (failure) {
      process.stderr.write(`\npreflight: stop.\n${failure}\n\n`);
      return 1;
    }
  }
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const mode = process.argv[2] || "start";
  if (!["install", "start", "test"].includes(mode)) {
    process.stderr.write(`usage: node scripts/preflight.mjs install|start|test (got "${mode}")\n`);
    process.exit(2);
  }
  process.exit(preflight(mode));
}
