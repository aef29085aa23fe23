import type { Command } from "commander";

/** A secret on the command line shows in `ps` to every local user, so each secret flag's help says so. */
export const FLAG_IS_PUBLIC = "other local users can see a flag in ps";
export const CLIENT_TOKEN_SOURCES = "OPENCLAW_GATEWAY_TOKEN, OPENCLAW_GATEWAY_TOKEN_FILE or the config file";
export const CLIENT_PASSWORD_SOURCES =
  "OPENCLAW_GATEWAY_PASSWORD, OPENCLAW_GATEWAY_PASSWORD_FILE or the config file";

export function addTargetOptions(command: Command): Command {
  return command
    .option("--url <url>", "gateway WebSocket URL (default ws://127.0.0.1:<configured port>)")
    .option("--token <token>", `gateway token (default: ${CLIENT_TOKEN_SOURCES}); ${FLAG_IS_PUBLIC}`)
    .option(
      "--password <password>",
      `gateway password (default: ${CLIENT_PASSWORD_SOURCES}); ${FLAG_IS_PUBLIC}`,
    )
    .option("--timeout <ms>", "request timeout in milliseconds", "10000");
}

/** Wraps an action so its resolved exit code becomes the process exit code. */
export type RunAction = <A extends unknown[]>(
  action: (...args: A) => Promise<number>,
) => (...args: A) => Promise<void>;
