import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { ChannelAccountContext, ChannelAccountHandle, ChannelLogger } from "@openclaw/plugin-sdk";
import { App, HTTPReceiver, SocketModeReceiver, webApi } from "@slack/bolt";
import { resolveSlackCredentials } from "./resolve-slack-credentials.js";
import { registerSlackHandlers } from "./slack-account-handlers.js";
import { toSlackChannelError } from "./slack-api-failure.js";
import { SlackChannelError } from "./slack-channel-error.js";
import type { SlackConfig } from "./slack-config.js";
import { SlackConversations } from "./slack-conversations.js";
import type { SlackBotIdentity } from "./slack-event-to-inbound.js";
import { boltLogger } from "./slack-logger.js";
import { SlackNames } from "./slack-names.js";

/** What a running account keeps for outbound calls, looked up by account id. */
export interface SlackAccountRuntime {
  accountId: string;
  client: webApi.WebClient;
  identity: SlackBotIdentity;
  /** Aborted by stop(): cancels in-flight calls and 429 waits. */
  signal: AbortSignal;
  logger: ChannelLogger;
  textFormat: SlackConfig["textFormat"];
  conversations: SlackConversations;
  /** The outbound media cap: `mediaMaxMb`, else Slack's own upload limit. */
  maxMediaBytes: number;
}

export interface SlackAccountHandle extends ChannelAccountHandle {
  /** Settles when the account stops: resolves after stop() or ctx.signal, rejects with the failure that ended it. */
  readonly done: Promise<void>;
  /** The local Events API listener, in HTTP mode. */
  readonly httpAddress?: AddressInfo;
}

const MAX_RECONNECT_DELAY_MS = 30_000;
/** Slack's limit for one uploaded file. */
export const SLACK_MAX_UPLOAD_BYTES = 1024 * 1024 * 1024;
// Slack answers the WebSocket close handshake at once; a peer that does not must not hold stop() up.
const CLOSE_HANDSHAKE_BUDGET_MS = 500;

function describeForLog(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function waitMs(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

async function listen(server: Server, host: string, port: number): Promise<AddressInfo> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return server.address() as AddressInfo;
}

/**
 * The Web API options of every client of the account: our own retry of 429s (see withRateLimitRetry), no
 * retries of failed requests (a failure reaches the gateway at once), and a fetch that stop() aborts.
 */
function webClientOptions(config: SlackConfig, signal: AbortSignal, logger: ChannelLogger) {
  const abortableFetch = (input: string | URL | Request, init?: RequestInit) =>
    fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal });
  return {
    slackApiUrl: config.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 30_000,
    fetch: abortableFetch,
    logger: boltLogger(logger),
  };
}

/**
 * Starts one account: checks the bot token with auth.test, then receives events over Socket Mode (default) or on
 * a local HTTP Events API listener. Resolves once events flow; rejects with a {@link SlackChannelError} (also
 * reported as `lastError`) when the account cannot start.
 */
export async function startSlackAccount(
  context: ChannelAccountContext<SlackConfig>,
  register: (runtime: SlackAccountRuntime) => () => void,
): Promise<SlackAccountHandle> {
  const { accountId, config, logger } = context;
  const controller = new AbortController();
  const { signal } = controller;
  const onContextAbort = () => void stop();
  // Until the start is over, aborting ctx.signal (the gateway's start deadline) cancels the start's requests.
  const abortStart = () => controller.abort();
  context.signal.addEventListener("abort", abortStart, { once: true });
  if (context.signal.aborted) controller.abort();
  const fail = (error: unknown, method?: string): SlackChannelError => {
    const failure = toSlackChannelError(error, accountId, method);
    if (!context.signal.aborted) context.setStatus({ connected: false, lastError: failure.message });
    return failure;
  };

  const clientOptions = webClientOptions(config, signal, logger);
  let credentials: ReturnType<typeof resolveSlackCredentials>;
  let client: webApi.WebClient;
  let identity: SlackBotIdentity;
  try {
    credentials = resolveSlackCredentials(config, accountId);
    client = new webApi.WebClient(credentials.botToken, clientOptions);
    const auth = await client.auth.test();
    identity = {
      userId: auth.user_id ?? "",
      botId: auth.bot_id ?? "",
      teamId: auth.team_id ?? "",
      name: auth.user ?? "",
    };
  } catch (error) {
    throw fail(error, "auth.test");
  }
  const authorization = {
    botToken: credentials.botToken,
    botId: identity.botId,
    botUserId: identity.userId,
    teamId: identity.teamId,
  };
  const names = new SlackNames(client, logger);

  let socketReceiver: SocketModeReceiver | undefined;
  let httpReceiver: HTTPReceiver | undefined;
  if (config.mode === "http") {
    httpReceiver = new HTTPReceiver({
      signingSecret: credentials.signingSecret ?? "",
      endpoints: config.webhookPath,
      logger: boltLogger(logger),
    });
  } else {
    socketReceiver = new SocketModeReceiver({
      appToken: credentials.appToken ?? "",
      logger: boltLogger(logger),
      // Its own reconnect loop cannot report failures (an unrecoverable one escapes as an unhandled rejection),
      // so reconnects are ours: each failure reaches lastError and too many end the account.
      autoReconnectEnabled: false,
      installerOptions: { clientOptions },
    });
  }
  const app = new App({
    receiver: (httpReceiver ?? socketReceiver) as SocketModeReceiver,
    authorize: async () => authorization,
    clientOptions,
    logger: boltLogger(logger),
  });

  const conversations = new SlackConversations(client);
  registerSlackHandlers(app, {
    context,
    identity,
    names,
    conversations,
    fetcher: { botToken: credentials.botToken, apiUrl: config.apiUrl, signal },
    signal,
  });

  let settle!: { resolve: () => void; reject: (error: SlackChannelError) => void };
  const done = new Promise<void>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // `done` is for whoever watches the account; nobody watching must not make its failure unhandled.
  done.catch(() => undefined);
  let unregister: () => void = () => undefined;
  let server: Server | undefined;
  let httpAddress: AddressInfo | undefined;
  let stopping = false;
  let running = false;
  let reconnecting = false;

  const cleanUp = async () => {
    controller.abort();
    context.signal.removeEventListener("abort", onContextAbort);
    unregister();
    const socket = socketReceiver?.client;
    if (socket !== undefined) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        socket.disconnect(),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, CLOSE_HANDSHAKE_BUDGET_MS);
        }),
      ]).finally(() => clearTimeout(timer));
    }
    if (server !== undefined) {
      const closed = new Promise<void>((resolve) => server?.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    }
  };

  const end = async (failure: SlackChannelError) => {
    if (stopping) return;
    stopping = true;
    logger.error("slack connection lost", { error: failure.message, code: failure.code });
    await cleanUp();
    context.setStatus({ connected: false, lastError: failure.message });
    settle.reject(failure);
  };

  const stop = async (): Promise<void> => {
    if (stopping) {
      await done.catch(() => undefined);
      return;
    }
    stopping = true;
    await cleanUp();
    context.setStatus({ connected: false });
    settle.resolve();
  };

  const reconnect = async (socket: SocketModeReceiver["client"]) => {
    reconnecting = true;
    let lastFailure: SlackChannelError | undefined;
    for (let attempt = 1; attempt <= config.maxReconnectAttempts; attempt += 1) {
      const delay = Math.min(config.reconnectDelayMs * 2 ** (attempt - 1), MAX_RECONNECT_DELAY_MS);
      try {
        await waitMs(delay, signal);
      } catch {
        reconnecting = false;
        return;
      }
      try {
        await socket.start();
        reconnecting = false;
        return;
      } catch (error) {
        if (signal.aborted) {
          reconnecting = false;
          return;
        }
        lastFailure =
          error === undefined
            ? new SlackChannelError(
                "SLACK_NETWORK_ERROR",
                "the Socket Mode WebSocket closed before Slack's hello: check the network or a proxy",
              )
            : toSlackChannelError(error, accountId, "apps.connections.open");
        context.setStatus({ connected: false, lastError: lastFailure.message });
        logger.warn("slack reconnect failed", { attempt, error: lastFailure.message });
        if (lastFailure.code === "SLACK_UNAUTHORIZED") break;
      }
    }
    reconnecting = false;
    await end(
      new SlackChannelError(
        "SLACK_SOCKET_LOST",
        `the Slack Socket Mode connection of account "${accountId}" could not be restored` +
          (lastFailure === undefined ? "" : `: ${lastFailure.message}`),
        { cause: lastFailure },
      ),
    );
  };

  unregister = register({
    accountId,
    client,
    identity,
    signal,
    logger,
    textFormat: config.textFormat,
    conversations,
    maxMediaBytes:
      config.mediaMaxMb === undefined ? SLACK_MAX_UPLOAD_BYTES : Math.floor(config.mediaMaxMb * 1024 * 1024),
  });
  try {
    if (httpReceiver !== undefined) {
      const listener = httpReceiver.requestListener;
      server = createServer((request: IncomingMessage, response: ServerResponse) => {
        try {
          listener(request, response);
        } catch {
          // bolt throws for paths other than webhookPath, leaving the answer to us.
          if (!response.headersSent) response.writeHead(404).end();
        }
      });
      try {
        httpAddress = await listen(server, config.http.host, config.http.port);
      } catch (error) {
        throw new SlackChannelError(
          "SLACK_HTTP_LISTEN_FAILED",
          `cannot listen for Slack events on ${config.http.host}:${config.http.port} (${describeForLog(error)}): ` +
            "choose a free channels.slack.http.port",
          { cause: error },
        );
      }
    } else if (socketReceiver !== undefined) {
      const socket = socketReceiver.client;
      socket.on("connected", () => {
        if (!stopping) context.setStatus({ connected: true, lastError: null });
      });
      socket.on("disconnected", () => {
        if (stopping || !running || reconnecting) return;
        context.setStatus({ connected: false });
        logger.warn("slack socket closed; reconnecting");
        void reconnect(socket);
      });
      await app.start();
    }
  } catch (error) {
    stopping = true;
    await cleanUp();
    throw fail(error, "apps.connections.open");
  }
  running = true;
  if (httpReceiver !== undefined) context.setStatus({ connected: true, lastError: null });
  logger.info("slack connected", { bot: identity.name, mode: config.mode });
  if (context.signal.aborted) await stop();
  else context.signal.addEventListener("abort", onContextAbort, { once: true });

  return {
    stop,
    done,
    ...(httpAddress === undefined ? {} : { httpAddress }),
  };
}
