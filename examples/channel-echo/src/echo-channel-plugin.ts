import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  CHANNEL_PLUGIN_API_VERSION,
  type ChannelAccountContext,
  type ChannelPlugin,
  defineChannelPlugin,
} from "@openclaw/plugin-sdk";
import { z } from "zod";

/**
 * One account's config. `z.looseObject` because the gateway passes the whole resolved section, including the
 * access-policy keys it reads itself (`dmPolicy`, `allowFrom`, ...).
 */
export const EchoAccountConfigSchema = z.looseObject({
  /** The loopback port the account's HTTP "platform" listens on; 0 picks a free one. */
  port: z.int().min(0).max(65_535).default(0),
});
export type EchoAccountConfig = z.infer<typeof EchoAccountConfigSchema>;

/** A message the bot sent, as `GET /outbound?to=<id>` returns it. */
export interface EchoOutboundMessage {
  messageId: string;
  text: string;
  at: number;
}

const InboundBodySchema = z.object({
  from: z.string().min(1),
  text: z.string(),
  name: z.string().optional(),
});

const MAX_BODY_BYTES = 64 * 1024;

/** What one account has carried since the plugin was created, as the `echo.stats` method reports it. */
export interface EchoAccountStats {
  accountId: string;
  running: boolean;
  /** Messages POSTed to /inbound and handed to the gateway. */
  received: number;
  /** Replies the gateway sent through the account (the echoes). */
  sent: number;
}

/** A plugin object plus what a test, a user or the plugin's own method needs that the contract does not carry. */
export type EchoChannelPlugin = ChannelPlugin<EchoAccountConfig> & {
  /** `http://127.0.0.1:<port>` of a running account, undefined when it is not running. */
  serverUrl(accountId: string): string | undefined;
  /** Counts per account (sorted by id); with `accountId`, that account only (zeros when it never ran). */
  stats(accountId?: string): EchoAccountStats[];
};

interface RunningAccount {
  server: Server;
  url: string;
  outbound: Map<string, EchoOutboundMessage[]>;
  nextMessageId: number;
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of request) {
    size += (part as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error(`body over ${MAX_BODY_BYTES} bytes`);
    parts.push(part as Buffer);
  }
  return JSON.parse(Buffer.concat(parts).toString("utf8"));
}

/**
 * Creates the echo channel. Each call returns an independent plugin (its own accounts), which keeps tests isolated;
 * the package's default export is one such instance.
 */
export function createEchoChannelPlugin(): EchoChannelPlugin {
  const running = new Map<string, RunningAccount>();
  // Kept across stop and start, so the counts cover the plugin's whole life.
  const counts = new Map<string, { received: number; sent: number }>();

  function countsOf(accountId: string): { received: number; sent: number } {
    let entry = counts.get(accountId);
    if (entry === undefined) {
      entry = { received: 0, sent: 0 };
      counts.set(accountId, entry);
    }
    return entry;
  }

  function stats(accountId?: string): EchoAccountStats[] {
    const ids =
      accountId === undefined ? [...new Set([...counts.keys(), ...running.keys()])].sort() : [accountId];
    return ids.map((id) => ({
      accountId: id,
      running: running.has(id),
      ...(counts.get(id) ?? { received: 0, sent: 0 }),
    }));
  }

  function accountOf(accountId: string): RunningAccount {
    const account = running.get(accountId);
    if (account === undefined) {
      throw new Error(`echo account "${accountId}" is not running: start it (channels.start) before sending`);
    }
    return account;
  }

  async function startAccount(context: ChannelAccountContext<EchoAccountConfig>) {
    let stopped = false;
    let inboundCounter = 0;

    async function handleInbound(request: IncomingMessage, response: ServerResponse): Promise<void> {
      const parsed = InboundBodySchema.safeParse(await readJson(request).catch(() => undefined));
      if (!parsed.success) {
        sendJson(response, 400, { error: 'POST /inbound needs a JSON body {"from": "<id>", "text": "..."}' });
        return;
      }
      // A request that raced with stop() must not reach the gateway any more.
      if (stopped) {
        sendJson(response, 503, { error: "the echo account is stopped" });
        return;
      }
      inboundCounter += 1;
      countsOf(context.accountId).received += 1;
      const messageId = `in-${inboundCounter}`;
      const { from, text, name } = parsed.data;
      await context.onInbound({
        channel: "echo",
        accountId: context.accountId,
        peer: { id: from, name },
        chatKind: "dm",
        sender: { id: from, name },
        text,
        mentionsBot: false,
        timestamp: Date.now(),
        platformMessageId: messageId,
      });
      sendJson(response, 202, { messageId });
    }

    function handleOutbound(url: URL, response: ServerResponse): void {
      const to = url.searchParams.get("to");
      if (to === null || to === "") {
        sendJson(response, 400, { error: "GET /outbound needs ?to=<peer id>" });
        return;
      }
      sendJson(response, 200, { messages: account.outbound.get(to) ?? [] });
    }

    const server = createServer((request, response) => {
      const url = new URL(request.url ?? "/", "http://127.0.0.1");
      if (request.method === "POST" && url.pathname === "/inbound") {
        handleInbound(request, response).catch((error: unknown) => {
          context.logger.error("echo inbound failed", { error: String(error) });
          if (!response.headersSent) sendJson(response, 500, { error: "inbound failed" });
        });
        return;
      }
      if (request.method === "GET" && url.pathname === "/outbound") {
        handleOutbound(url, response);
        return;
      }
      sendJson(response, 404, { error: "use POST /inbound or GET /outbound?to=<id>" });
    });
    server.listen(context.config.port, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as AddressInfo;
    const account: RunningAccount = {
      server,
      url: `http://127.0.0.1:${port}`,
      outbound: new Map(),
      nextMessageId: 1,
    };
    running.set(context.accountId, account);
    context.logger.info("echo channel listening", { accountId: context.accountId, url: account.url });
    context.setStatus({ connected: true, lastError: null });

    const stop = async () => {
      if (stopped) return;
      stopped = true;
      running.delete(context.accountId);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive connections would hold close() open; nothing on them is worth waiting for.
      server.closeAllConnections();
      await closed;
      context.setStatus({ connected: false });
    };
    context.signal.addEventListener("abort", () => void stop(), { once: true });
    return { stop };
  }

  const plugin = defineChannelPlugin<EchoAccountConfig>({
    apiVersion: CHANNEL_PLUGIN_API_VERSION,
    id: "echo",
    meta: {
      label: "Echo",
      description:
        "A loopback HTTP channel: POST /inbound to talk to the bot, GET /outbound to read its replies",
    },
    configSchema: EchoAccountConfigSchema,
    capabilities: {
      dms: true,
      groups: false,
      threads: false,
      reactions: false,
      typing: false,
      media: false,
      edits: false,
      maxTextLength: 2000,
    },
    startAccount,
    async sendText({ accountId, to, text }) {
      const account = accountOf(accountId);
      const message = { messageId: `out-${account.nextMessageId}`, text, at: Date.now() };
      account.nextMessageId += 1;
      countsOf(accountId).sent += 1;
      account.outbound.set(to, [...(account.outbound.get(to) ?? []), message]);
      return { messageId: message.messageId };
    },
    async probe({ accountId }) {
      const account = running.get(accountId);
      if (account === undefined) return { ok: false, detail: `account "${accountId}" is not running` };
      return { ok: account.server.listening, detail: account.url };
    },
  });
  return Object.assign(plugin, { serverUrl: (accountId: string) => running.get(accountId)?.url, stats });
}
