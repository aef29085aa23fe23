import { randomUUID } from "node:crypto";
import type { ClusterCoordinator } from "@openclaw/sessions";
import { z } from "zod";
import type { Logger } from "../logging/logger.js";
import { channelLeaseName } from "./channel-account-leases.js";
import { ChannelError, type ChannelErrorCode, describeError } from "./channel-error.js";
import type { OutboundSendRequest, OutboundSendResult } from "./channel-outbound.js";

const REQUEST_TOPIC = "channels.send.request";
const RESULT_TOPIC = "channels.send.result";
/** How long a standby instance waits for the owner to send before it reports a failure. */
export const FORWARDED_SEND_TIMEOUT_MS = 30_000;
/** Sends forwarded from here and still waiting for their owner's answer; beyond this new ones are refused. */
const MAX_PENDING = 1_000;

const id = z.string().min(1).max(128);
const RequestSchema = z.object({
  id,
  to: id,
  request: z.object({
    channel: z.string().max(128).optional(),
    accountId: z.string().max(256).optional(),
    to: z.string().max(1024),
    message: z.string().max(512 * 1024),
    threadId: z.string().max(256).optional(),
    replyToId: z.string().max(256).optional(),
    idempotencyKey: z.string().max(512).optional(),
    mediaUrls: z
      .array(z.string().max(64 * 1024))
      .max(32)
      .optional(),
    presentation: z.looseObject({}).optional(),
    agentId: z.string().max(128).optional(),
  }),
});
const ResultSchema = z.object({
  id,
  to: id,
  result: z
    .object({
      channel: z.string(),
      accountId: z.string(),
      to: z.string(),
      messageIds: z.array(z.string()).max(1_000),
      deduped: z.boolean().optional(),
    })
    .optional(),
  error: z.object({ code: z.string().max(64), message: z.string().max(4_096) }).optional(),
});

const KNOWN_CODES = new Set<string>([
  "CHANNEL_NOT_RUNNING",
  "CHANNEL_SEND_FAILED",
  "CHANNEL_ACCOUNT_UNKNOWN",
]);

interface Pending {
  resolve(result: OutboundSendResult): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * Outbound sends for an account another instance runs (`send`, cron and heartbeat deliveries, the message tool):
 * the standby instance hands the request to the owner over the cluster's events and waits for its answer, since
 * only the owner's adapter holds the platform connection.
 */
export class ChannelSendForwarding {
  readonly #cluster: ClusterCoordinator;
  readonly #logger: Logger;
  readonly #timeoutMs: number;
  readonly #pending = new Map<string, Pending>();
  readonly #unsubscribe: (() => void)[];

  constructor(o: {
    cluster: ClusterCoordinator;
    /** Sends with this instance's running adapter (the owner's side). */
    sendHere: (request: OutboundSendRequest) => Promise<OutboundSendResult>;
    logger: Logger;
    timeoutMs?: number;
  }) {
    this.#cluster = o.cluster;
    this.#logger = o.logger;
    this.#timeoutMs = o.timeoutMs ?? FORWARDED_SEND_TIMEOUT_MS;
    this.#unsubscribe = [
      o.cluster.subscribe(REQUEST_TOPIC, (payload, origin) => void this.#serve(payload, origin, o.sendHere)),
      o.cluster.subscribe(RESULT_TOPIC, (payload) => this.#settle(payload)),
    ];
  }

  /** Asks `owner` to send; resolves with its result, rejects with its error or after the timeout. */
  forward(owner: string, request: OutboundSendRequest): Promise<OutboundSendResult> {
    if (this.#pending.size >= MAX_PENDING) {
      return Promise.reject(
        new ChannelError(
          "CHANNEL_SEND_FAILED",
          "too many sends are waiting for another instance; retry later",
        ),
      );
    }
    const requestId = randomUUID();
    return new Promise<OutboundSendResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(requestId);
        reject(
          new ChannelError(
            "CHANNEL_SEND_FAILED",
            `instance ${owner}, which runs this account, did not answer within ${this.#timeoutMs} ms; check that it is up`,
          ),
        );
      }, this.#timeoutMs);
      timer.unref?.();
      this.#pending.set(requestId, { resolve, reject, timer });
      try {
        this.#cluster.publish(REQUEST_TOPIC, { id: requestId, to: owner, request });
      } catch (error) {
        clearTimeout(timer);
        this.#pending.delete(requestId);
        reject(
          new ChannelError(
            "CHANNEL_SEND_FAILED",
            `could not reach instance ${owner}: ${describeError(error)}`,
          ),
        );
      }
    });
  }

  close(): void {
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    for (const [requestId, pending] of this.#pending) {
      clearTimeout(pending.timer);
      pending.reject(new ChannelError("CHANNEL_SEND_FAILED", "the gateway is stopping"));
      this.#pending.delete(requestId);
    }
  }

  async #serve(
    payload: unknown,
    origin: string,
    sendHere: (request: OutboundSendRequest) => Promise<OutboundSendResult>,
  ): Promise<void> {
    const parsed = RequestSchema.safeParse(payload);
    if (!parsed.success || parsed.data.to !== this.#cluster.instanceId) return;
    const { id: requestId, request } = parsed.data;
    let answer: z.infer<typeof ResultSchema>;
    try {
      answer = { id: requestId, to: origin, result: await sendHere(request as OutboundSendRequest) };
    } catch (error) {
      const code = error instanceof ChannelError ? error.code : "CHANNEL_SEND_FAILED";
      answer = { id: requestId, to: origin, error: { code, message: describeError(error).slice(0, 4_096) } };
    }
    try {
      this.#cluster.publish(RESULT_TOPIC, answer);
    } catch (error) {
      this.#logger.warn("forwarded send: the result could not be returned", { error: describeError(error) });
    }
  }

  #settle(payload: unknown): void {
    const parsed = ResultSchema.safeParse(payload);
    if (!parsed.success || parsed.data.to !== this.#cluster.instanceId) return;
    const pending = this.#pending.get(parsed.data.id);
    if (!pending) return;
    this.#pending.delete(parsed.data.id);
    clearTimeout(pending.timer);
    const { result, error } = parsed.data;
    if (result) pending.resolve(result);
    else {
      const code = (
        KNOWN_CODES.has(error?.code ?? "") ? error?.code : "CHANNEL_SEND_FAILED"
      ) as ChannelErrorCode;
      pending.reject(new ChannelError(code, error?.message ?? "the owning instance failed to send"));
    }
  }
}

/**
 * The instance to forward a send to: the lease holder of the target account when this instance stands by for it;
 * undefined when the account runs here (or is not lease-held), so the send goes out locally as in one gateway.
 */
export async function remoteOwnerOf(
  cluster: ClusterCoordinator,
  target: { channel: string; accountId: string; standby: boolean },
): Promise<string | undefined> {
  if (!target.standby) return undefined;
  const name = channelLeaseName(target.channel, target.accountId);
  const owner = (await cluster.listLeases(name)).find((lease) => lease.name === name)?.owner;
  if (owner === undefined || owner === cluster.instanceId) {
    throw new ChannelError(
      "CHANNEL_NOT_RUNNING",
      `channel "${target.channel}" account "${target.accountId}" runs on no instance right now (another instance is taking it over); retry in a few seconds`,
      { channel: target.channel },
    );
  }
  return owner;
}
