import type { Command } from "commander";
import type { Output } from "../output.js";
import { FLAG_IS_PUBLIC, type RunAction } from "../program-support.js";

/** `openclaw node run`: this machine becomes a headless node of a gateway (OpenClaw's node host). */
export function addNodeCommands(program: Command, run: RunAction, output: Output): void {
  const node = program.command("node").description("run this machine as a headless node of a gateway");
  node
    .command("run")
    .description(
      "connect as role node, wait for approval, then serve system.run, system.which and system.notify",
    )
    .requiredOption("--url <url>", "the gateway's WebSocket URL, e.g. ws://gateway-host:18789")
    .option("--token <token>", `gateway token (default: OPENCLAW_GATEWAY_TOKEN); ${FLAG_IS_PUBLIC}`)
    .option(
      "--password <password>",
      `gateway password (default: OPENCLAW_GATEWAY_PASSWORD); ${FLAG_IS_PUBLIC}`,
    )
    .option("--display-name <name>", "the name operators see (default: this host's name)")
    .option(
      "--state-dir <dir>",
      "where the node keeps its key and device token (default: OPENCLAW_STATE_DIR or ~/.openclaw)",
    )
    .action(
      run(async (options) => {
        const { runNodeHost } = await import("./node-run-command.js");
        return runNodeHost(options, output);
      }),
    );
}
