import { SlackChannelError } from "./slack-channel-error.js";
import type { SlackConfig } from "./slack-config.js";

/** Read only for the default account, so a named account never silently borrows another app's credentials. */
export const SLACK_BOT_TOKEN_ENV = "SLACK_BOT_TOKEN";
export const SLACK_APP_TOKEN_ENV = "SLACK_APP_TOKEN";
export const SLACK_SIGNING_SECRET_ENV = "SLACK_SIGNING_SECRET";

export interface SlackCredentials {
  botToken: string;
  /** Socket Mode only. */
  appToken?: string;
  /** HTTP mode only. */
  signingSecret?: string;
}

function pick(
  configured: string | undefined,
  envName: string,
  accountId: string,
  env: NodeJS.ProcessEnv,
): string | undefined {
  if (configured !== undefined) return configured;
  return accountId === "default" ? env[envName]?.trim() || undefined : undefined;
}

function missing(accountId: string, key: string, envName: string, what: string): SlackChannelError {
  const section = accountId === "default" ? "channels.slack" : `channels.slack.accounts.${accountId}`;
  return new SlackChannelError(
    "SLACK_TOKEN_MISSING",
    `Slack account "${accountId}" has no ${key}: run \`openclaw config set ${section}.${key} <${what}>\`` +
      (accountId === "default" ? ` or set ${envName}` : ""),
  );
}

/** Config beats the environment; the environment applies to the account `default` only. */
export function resolveSlackCredentials(
  config: Pick<SlackConfig, "mode" | "botToken" | "appToken" | "signingSecret">,
  accountId: string,
  env: NodeJS.ProcessEnv = process.env,
): SlackCredentials {
  const botToken = pick(config.botToken, SLACK_BOT_TOKEN_ENV, accountId, env);
  if (botToken === undefined) throw missing(accountId, "botToken", SLACK_BOT_TOKEN_ENV, "xoxb-...");
  if (config.mode === "http") {
    const signingSecret = pick(config.signingSecret, SLACK_SIGNING_SECRET_ENV, accountId, env);
    if (signingSecret === undefined) {
      throw missing(accountId, "signingSecret", SLACK_SIGNING_SECRET_ENV, "signing secret");
    }
    return { botToken, signingSecret };
  }
  const appToken = pick(config.appToken, SLACK_APP_TOKEN_ENV, accountId, env);
  if (appToken === undefined) throw missing(accountId, "appToken", SLACK_APP_TOKEN_ENV, "xapp-...");
  return { botToken, appToken };
}
