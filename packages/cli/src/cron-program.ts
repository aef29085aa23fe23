import type { Command } from "commander";
import type { Output } from "./output.js";
import { addTargetOptions, type RunAction } from "./program-support.js";

/** `openclaw cron ...` (alias `automations`): scheduled jobs over the gateway's cron.* methods. */
export function addCronCommands(program: Command, run: RunAction, output: Output): void {
  const cron = program
    .command("cron")
    .alias("automations")
    .description("scheduled jobs: list, add, remove, run, runs");
  addTargetOptions(
    cron
      .command("list")
      .description("enabled jobs by next run")
      .option("--all", "include disabled jobs")
      .option("--json", "JSON output"),
  ).action(
    run(async (options) => {
      const { runCronList } = await import("./commands/cron/cron-commands.js");
      return runCronList(options, output);
    }),
  );
  addTargetOptions(
    cron
      .command("add")
      .description(
        'add a job: --name, one of --cron "<expr>" / --every <duration> / --at <when>, and --message',
      )
      .option("--name <name>", "the job's name")
      .option("--cron <expr>", 'a 5- or 6-field cron expression, e.g. "0 9 * * 1-5"')
      .option("--tz <iana>", "time zone for --cron and an offset-less --at (default: the gateway host's)")
      .option("--every <duration>", "a fixed interval, e.g. 10m, 1h, 1d")
      .option("--at <when>", "one run at an ISO time (2027-02-01T16:00:00Z) or after a duration (20m)")
      .option("--message <text>", "what the agent is asked on every run")
      .option("--system-event <text>", "a system event for the session instead of a message")
      .option("--session <target>", "main | isolated (its own session cron:<id>) | session:<key>", "isolated")
      .option("--agent <id>", "the agent that runs the job (default: the default agent)")
      .option("--model <ref>", "provider/model for this job's runs")
      .option("--timeout-seconds <n>", "stop a run after this many seconds")
      .option("--channel <id>", "deliver the answer on this channel (e.g. telegram)")
      .option("--to <peer>", "the chat or peer id to deliver to")
      .option("--account <id>", "the channel account to deliver from")
      .option("--description <text>", "a note shown with the job")
      .option("--disabled", "add the job paused")
      .option("--keep-after-run", "keep a one-shot (--at) job after it ran")
      .option("--json", "JSON output"),
  ).action(
    run(async (options) => {
      const { runCronAdd } = await import("./commands/cron/cron-commands.js");
      return runCronAdd(options, output);
    }),
  );
  addTargetOptions(
    cron.command("remove <id>").description("delete a job").option("--json", "JSON output"),
  ).action(
    run(async (id: string, options) => {
      const { runCronRemove } = await import("./commands/cron/cron-commands.js");
      return runCronRemove(id, options, output);
    }),
  );
  addTargetOptions(
    cron
      .command("run <id>")
      .description("run a job now (even a disabled one); prints the run id")
      .option("--due", "only run it if it is due")
      .option("--json", "JSON output"),
  ).action(
    run(async (id: string, options) => {
      const { runCronRun } = await import("./commands/cron/cron-commands.js");
      return runCronRun(id, options, output);
    }),
  );
  addTargetOptions(
    cron
      .command("runs <id>")
      .description("a job's run history, newest first")
      .option("--limit <n>", "how many runs", "20")
      .option("--json", "JSON output"),
  ).action(
    run(async (id: string, options) => {
      const { runCronRuns } = await import("./commands/cron/cron-commands.js");
      return runCronRuns(id, options, output);
    }),
  );
}
