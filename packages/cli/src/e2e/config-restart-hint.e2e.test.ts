import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { freePort, type RunningGateway, runCli, useCliState } from "./cli-process.js";

const cli = useCliState();

const NO_RESTART = "a running gateway applies these changes without a restart";

async function configure(...args: string[]) {
  const result = await runCli(["config", ...args, "--non-interactive"], cli.env);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}

/** Resolves once the gateway has printed `text` (stdout or stderr), however it arrives in chunks. */
function gatewaySays(running: RunningGateway, text: string): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (!running.output().includes(text)) return;
      running.child.stdout?.off("data", check);
      running.child.stderr?.off("data", check);
      resolve();
    };
    running.child.stdout?.on("data", check);
    running.child.stderr?.on("data", check);
    check();
  });
}

describe("openclaw config: the restart hint follows gateway-core's reload plan", () => {
  it("changes read live or hot-reloaded say no restart is needed", async () => {
    await writeFile(join(cli.stateDir, "openclaw.json"), JSON.stringify({ gateway: { port: 18789 } }));
    const http = await configure("--section", "http", "--chat-completions", "on");
    expect(http).toContain("gateway.http.endpoints.chatCompletions.enabled: true");
    expect(http).toContain(NO_RESTART);
    expect(http).not.toMatch(/restart needed|restarts by itself/i);

    const models = await configure(
      "--section",
      "models",
      "--provider",
      "openai-compatible",
      "--provider-id",
      "ollama",
      "--model",
      "llama3.2",
    );
    expect(models).toContain(NO_RESTART);
    expect(models).not.toMatch(/restart needed|restarts by itself/i);

    const token = await configure("--section", "gateway", "--auth", "token", "--token", "t".repeat(40));
    expect(token).toContain(NO_RESTART);
  });

  it("a port change names the path that needs the restart", async () => {
    await writeFile(join(cli.stateDir, "openclaw.json"), JSON.stringify({ gateway: { port: 18789 } }));
    const stdout = await configure("--section", "gateway", "--port", "18790");
    expect(stdout).toContain(
      "A running gateway restarts by itself to apply gateway.port (gateway.reload.mode hybrid)",
    );
    expect(stdout).not.toContain(NO_RESTART);
  });

  it('with gateway.reload.mode "off" every change that is not read live needs a restart', async () => {
    await writeFile(
      join(cli.stateDir, "openclaw.json"),
      JSON.stringify({ gateway: { reload: { mode: "off" } } }),
    );
    const stdout = await configure("--section", "http", "--responses", "on");
    expect(stdout).not.toContain("Restart needed");
    const models = await configure("--section", "models", "--provider", "openai", "--model", "gpt-4o-mini");
    expect(models).toMatch(
      /Restart needed for .*agents\.defaults\.model\.primary.* \(gateway\.reload\.mode off\)/,
    );
  });

  it("what the hint says is what a running gateway does", async () => {
    // The port comes from the config, not a flag (an explicit --port would win over the edited file).
    await writeFile(
      join(cli.stateDir, "openclaw.json"),
      JSON.stringify({ gateway: { port: await freePort() } }),
    );
    const gateway = cli.startGateway();
    await gateway.ready;

    const hot = await configure("--section", "http", "--chat-completions", "on");
    expect(hot).toContain(NO_RESTART);
    await gatewaySays(gateway, "live for gateway.http.endpoints.chatCompletions.enabled");
    expect(gateway.output()).not.toContain("restarting the gateway");

    const nextPort = await freePort();
    const restart = await configure("--section", "gateway", "--port", String(nextPort));
    expect(restart).toContain("A running gateway restarts by itself to apply gateway.port");
    await gatewaySays(gateway, `gateway restarted on ws://127.0.0.1:${nextPort}`);
    // Exactly one restart, for the port.
    expect(gateway.output().match(/restarting the gateway/g)).toEqual(["restarting the gateway"]);
    expect(gateway.output()).toContain("config changed (gateway.port): restarting the gateway");
  });
});
