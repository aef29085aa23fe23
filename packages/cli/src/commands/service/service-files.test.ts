import { describe, expect, it } from "vitest";
import { renderLaunchdPlist } from "./launchd-plist.js";
import { ServiceError } from "./service-error.js";
import { renderSystemdUnit } from "./systemd-unit.js";

describe("renderSystemdUnit", () => {
  it("renders the exact user unit", () => {
    const unit = renderSystemdUnit({
      nodePath: "/usr/bin/node",
      cliPath: "/opt/openclaw/dist/bin.js",
      stateDir: "/home/ada/.openclaw",
    });
    expect(unit).toBe(
      [
        "[Unit]",
        "Description=OpenClaw Gateway",
        "After=network-online.target",
        "Wants=network-online.target",
        "",
        "[Service]",
        "Type=simple",
        "ExecStart=/usr/bin/node /opt/openclaw/dist/bin.js gateway --foreground",
        "Environment=OPENCLAW_STATE_DIR=/home/ada/.openclaw",
        "Restart=always",
        "RestartSec=2",
        "",
        "[Install]",
        "WantedBy=default.target",
        "",
      ].join("\n"),
    );
  });

  it("quotes paths with spaces and escapes systemd specifiers, variables, quotes and backslashes", () => {
    const unit = renderSystemdUnit({
      nodePath: "/opt/Node JS/bin/node",
      cliPath: '/home/ada/my "apps"/100%/$HOME\\openclaw.js',
      stateDir: "/home/ada/state dir",
      configPath: "/etc/openclaw/config 50%.json",
      port: 18790,
      description: "OpenClaw Gateway (test)",
    });
    expect(unit).toBe(
      [
        "[Unit]",
        "Description=OpenClaw Gateway (test)",
        "After=network-online.target",
        "Wants=network-online.target",
        "",
        "[Service]",
        "Type=simple",
        'ExecStart="/opt/Node JS/bin/node" "/home/ada/my \\"apps\\"/100%%/$$HOME\\\\openclaw.js" gateway --foreground --port 18790',
        'Environment="OPENCLAW_STATE_DIR=/home/ada/state dir"',
        'Environment="OPENCLAW_CONFIG_PATH=/etc/openclaw/config 50%%.json"',
        "Restart=always",
        "RestartSec=2",
        "",
        "[Install]",
        "WantedBy=default.target",
        "",
      ].join("\n"),
    );
  });

  it("is deterministic and carries no secrets", () => {
    const options = { nodePath: "/usr/bin/node", cliPath: "/opt/bin.js", stateDir: "/s" };
    expect(renderSystemdUnit(options)).toBe(renderSystemdUnit(options));
    expect(renderSystemdUnit(options)).not.toMatch(/TOKEN|PASSWORD/);
  });

  it("refuses a path with a newline, which would inject a directive", () => {
    expect(() =>
      renderSystemdUnit({ nodePath: "/usr/bin/node", cliPath: "/x\nExecStartPre=/bin/evil", stateDir: "/s" }),
    ).toThrow(ServiceError);
  });

  it("refuses an invalid port", () => {
    expect(() => renderSystemdUnit({ nodePath: "/n", cliPath: "/c", stateDir: "/s", port: 70000 })).toThrow(
      /port must be an integer/,
    );
  });
});

describe("renderLaunchdPlist", () => {
  it("renders the exact LaunchAgent, XML-escaped", () => {
    const plist = renderLaunchdPlist({
      nodePath: "/usr/local/bin/node",
      cliPath: "/Users/ada/Apps & Tools/openclaw/dist/bin.js",
      stateDir: "/Users/ada/.openclaw <main>",
    });
    expect(plist).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
        '<plist version="1.0">',
        "<dict>",
        "  <key>Label</key>",
        "  <string>ai.openclaw.gateway</string>",
        "  <key>ProgramArguments</key>",
        "  <array>",
        "    <string>/usr/local/bin/node</string>",
        "    <string>/Users/ada/Apps &amp; Tools/openclaw/dist/bin.js</string>",
        "    <string>gateway</string>",
        "    <string>--foreground</string>",
        "  </array>",
        "  <key>EnvironmentVariables</key>",
        "  <dict>",
        "    <key>OPENCLAW_STATE_DIR</key>",
        "    <string>/Users/ada/.openclaw &lt;main&gt;</string>",
        "  </dict>",
        "  <key>RunAtLoad</key>",
        "  <true/>",
        "  <key>KeepAlive</key>",
        "  <true/>",
        "  <key>StandardOutPath</key>",
        "  <string>/Users/ada/.openclaw &lt;main&gt;/logs/gateway.log</string>",
        "  <key>StandardErrorPath</key>",
        "  <string>/Users/ada/.openclaw &lt;main&gt;/logs/gateway.err.log</string>",
        "</dict>",
        "</plist>",
        "",
      ].join("\n"),
    );
  });
});
