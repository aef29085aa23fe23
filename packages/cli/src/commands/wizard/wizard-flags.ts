import type { Command } from "commander";

/** The answers a wizard can take from the command line instead of a prompt (see {@link addWizardOptions}). */
export interface WizardFlags {
  nonInteractive?: boolean;
  port?: string;
  bind?: string;
  bindHost?: string;
  auth?: string;
  token?: string;
  generateToken?: boolean;
  password?: string;
  tailscale?: string;
  tailscaleResetOnExit?: boolean;
  chatCompletions?: string;
  responses?: string;
  provider?: string;
  providerId?: string;
  baseUrl?: string;
  api?: string;
  apiKey?: string;
  model?: string;
  channel?: string;
  channelToken?: string;
  slackAppToken?: string;
  disableChannel?: boolean;
}

/** The flag each answer comes from, for error messages and the "needs a terminal" help. */
export const FLAG_NAMES: Record<Exclude<keyof WizardFlags, "nonInteractive">, string> = {
  port: "--port <port>",
  bind: "--bind <loopback|lan|tailnet|auto|custom>",
  bindHost: "--bind-host <ipv4>",
  auth: "--auth <token|password|none>",
  token: "--token <token>",
  generateToken: "--generate-token",
  password: "--password <password>",
  tailscale: "--tailscale <off|serve|funnel>",
  tailscaleResetOnExit: "--[no-]tailscale-reset-on-exit",
  chatCompletions: "--chat-completions <on|off>",
  responses: "--responses <on|off>",
  provider: "--provider <openai|anthropic|openai-compatible>",
  providerId: "--provider-id <id>",
  baseUrl: "--base-url <url>",
  api: "--api <openai-completions|openai-responses>",
  apiKey: "--api-key <key>",
  model: "--model <id>",
  channel: "--channel <telegram|slack|discord|whatsapp>",
  channelToken: "--channel-token <token>",
  slackAppToken: "--slack-app-token <xapp-token>",
  disableChannel: "--disable-channel",
};

/**
 * Adds the answer flags to `openclaw config` and `openclaw onboard`. Only commander is touched here, so the
 * command tree can be built without loading the prompt library.
 */
export function addWizardOptions(command: Command): Command {
  return command
    .option(
      "--non-interactive",
      "never prompt: take the answers from these flags (implied without a terminal)",
    )
    .option("--port <port>", "gateway: port to listen on")
    .option("--bind <mode>", "gateway: loopback | lan | tailnet | auto | custom")
    .option("--bind-host <ipv4>", "gateway: the address for --bind custom")
    .option("--auth <mode>", "gateway: token | password | none (none only with --bind loopback)")
    .option("--token <token>", "gateway: use this token")
    .option("--generate-token", "gateway: mint a new random token (printed once)")
    .option("--password <password>", "gateway: the shared password (auth password)")
    .option("--tailscale <mode>", "tailscale: off | serve | funnel (funnel needs --auth password)")
    .option("--tailscale-reset-on-exit", "tailscale: undo Serve/Funnel when the gateway stops")
    .option("--no-tailscale-reset-on-exit", "tailscale: leave Serve/Funnel in place when the gateway stops")
    .option("--chat-completions <on|off>", "http: POST /v1/chat/completions")
    .option("--responses <on|off>", "http: POST /v1/responses")
    .option("--provider <kind>", "models: openai | anthropic | openai-compatible")
    .option("--provider-id <id>", "models: the id under models.providers (openai-compatible; default local)")
    .option("--base-url <url>", "models: the provider's base URL (openai-compatible)")
    .option("--api <api>", "models: openai-completions | openai-responses (openai-compatible)")
    .option("--api-key <key>", "models: the provider's API key")
    .option(
      "--model <id>",
      "models: the default model, e.g. llama3.2 or ollama/llama3.2 (saved as <provider>/<model>)",
    )
    .option("--channel <id>", "channels: telegram | slack | discord | whatsapp")
    .option("--channel-token <token>", "channels: the bot token (Slack: the xoxb- bot token)")
    .option("--slack-app-token <token>", "channels: Slack's xapp- app-level token (Socket Mode)")
    .option("--disable-channel", "channels: turn --channel off instead of configuring it");
}

/** Which answer flags were given (commander leaves absent ones undefined). */
export function givenFlags(flags: WizardFlags): (keyof typeof FLAG_NAMES)[] {
  return (Object.keys(FLAG_NAMES) as (keyof typeof FLAG_NAMES)[]).filter((key) => flags[key] !== undefined);
}
