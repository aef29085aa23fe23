import type { Command } from "commander";
import type { Output } from "../output.js";
import { addTargetOptions, type RunAction } from "../program-support.js";

/**
 * `openclaw usage` (tokens and cost per day, agent, model and channel) and OpenClaw's `openclaw gateway usage-cost`
 * (per day), both read from the gateway's usage ledger.
 */
export function addUsageCommands(program: Command, gateway: Command, run: RunAction, output: Output): void {
  addTargetOptions(
    program
      .command("usage")
      .description("tokens and cost per day, agent, model and channel (from the gateway's usage ledger)")
      .option("--days <n>", "the last n days, today included (default 7)")
      .option("--from <date>", "first day, YYYY-MM-DD (with --to, default today)")
      .option("--to <date>", "last day, YYYY-MM-DD")
      .option("--agent <id>", "one agent (default: the default agent)")
      .option("--all-agents", "every agent")
      .option("--by <group>", "one table only: day, agent, model or channel")
      .option("--tz <iana>", "count days in this time zone (default UTC), e.g. Europe/Vienna")
      .option("--json", "JSON output (the sessions.usage payload)"),
  ).action(
    run(async (options) => {
      const { runUsage } = await import("./usage-command.js");
      return runUsage(options, output);
    }),
  );
  addTargetOptions(
    gateway
      .command("usage-cost")
      .description("tokens and cost per day (OpenClaw's command; see also `openclaw usage`)")
      .option("--days <n>", "number of days to include (default 30)")
      .option("--agent <id>", "one agent (default: the default agent)")
      .option("--all-agents", "every agent")
      .option("--json", "JSON output (the usage.cost payload)"),
  ).action(
    run(async (options) => {
      const { runUsageCost } = await import("./usage-command.js");
      return runUsageCost(options, output);
    }),
  );
}
