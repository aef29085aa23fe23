import { join } from "node:path";
import { gatewayArgv, type ServiceUnitOptions, serviceEnvironment } from "./systemd-unit.js";

export const LAUNCHD_LABEL = "ai.openclaw.gateway";

function xml(value: string): string {
  return value
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&apos;");
}

/** Where launchd sends the gateway's stdout and stderr (launchd does not create the directory). */
export function launchdLogPaths(stateDir: string): { dir: string; out: string; err: string } {
  const dir = join(stateDir, "logs");
  return { dir, out: join(dir, "gateway.log"), err: join(dir, "gateway.err.log") };
}

/** Renders the macOS LaunchAgent that keeps the gateway running (KeepAlive). Same input, same text. */
export function renderLaunchdPlist(o: ServiceUnitOptions): string {
  const logs = launchdLogPaths(o.stateDir);
  const string = (value: string, indent: string) => `${indent}<string>${xml(value)}</string>`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
    "<dict>",
    "  <key>Label</key>",
    string(LAUNCHD_LABEL, "  "),
    "  <key>ProgramArguments</key>",
    "  <array>",
    ...gatewayArgv(o).map((word) => string(word, "    ")),
    "  </array>",
    "  <key>EnvironmentVariables</key>",
    "  <dict>",
    ...serviceEnvironment(o).flatMap(([name, value]) => [
      `    <key>${xml(name)}</key>`,
      string(value, "    "),
    ]),
    "  </dict>",
    "  <key>RunAtLoad</key>",
    "  <true/>",
    "  <key>KeepAlive</key>",
    "  <true/>",
    "  <key>StandardOutPath</key>",
    string(logs.out, "  "),
    "  <key>StandardErrorPath</key>",
    string(logs.err, "  "),
    "</dict>",
    "</plist>",
    "",
  ].join("\n");
}
