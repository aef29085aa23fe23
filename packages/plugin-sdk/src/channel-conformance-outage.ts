import type { ConformanceOutage, ConformanceOutageMode } from "./channel-conformance-harness.js";
import {
  type ClosableConformanceHarness,
  type ConformanceHarnessFactory,
  type ConformanceOptions,
  parseConfig,
  RunningAccount,
  STOP_DEADLINE_MS,
  withHarness,
} from "./channel-conformance-harness.js";
import type { ChannelAccountHandle, ChannelPlugin } from "./channel-plugin.js";
import { describeError, fail, waitForListeners, within } from "./conformance-error.js";

export type { ConformanceOutage, ConformanceOutageMode };

/** How long a start against an unanswering platform runs before the kit aborts it, as the start deadline would. */
export const HANG_BEFORE_ABORT_MS = 200;

const MODE_TEXT: Record<ConformanceOutageMode, string> = {
  refused: "refusing connections",
  "http-500": "answering 500 with an HTML page",
  hang: "not answering",
};

type Outcome = { handle: ChannelAccountHandle } | { error: unknown };

/** One start against a platform that is down, and everything the plugin reported while it ran. */
class StartAttempt {
  readonly controller = new AbortController();
  readonly statuses: { connected?: boolean; lastError?: string | null }[] = [];
  outcome: Outcome | undefined;
  readonly settled: Promise<Outcome>;
  private readonly listeners = new Set<() => void>();

  constructor(plugin: ChannelPlugin, accountId: string, config: unknown) {
    const silent = () => undefined;
    this.settled = Promise.resolve()
      .then(() =>
        plugin.startAccount({
          accountId,
          config,
          logger: { debug: silent, info: silent, warn: silent, error: silent },
          signal: this.controller.signal,
          onInbound: silent,
          setStatus: (patch) => {
            this.statuses.push({ ...patch });
            this.notify();
          },
        }),
      )
      .then(
        (handle): Outcome => ({ handle }),
        (error: unknown): Outcome => ({ error }),
      )
      .then((outcome) => {
        this.outcome = outcome;
        this.notify();
        return outcome;
      });
  }

  /** The failure the gateway gets to see: a rejected start, or `setStatus({ connected: false, lastError })`. */
  get surfacedError(): string | undefined {
    if (this.outcome !== undefined && "error" in this.outcome) return describeError(this.outcome.error);
    return this.statuses.find((s) => s.connected === false && typeof s.lastError === "string")?.lastError as
      | string
      | undefined;
  }

  get claimedConnected(): boolean {
    return this.statuses.some((s) => s.connected === true);
  }

  waitUntil(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
    return waitForListeners(this.listeners, predicate, timeoutMs, what);
  }

  /** Aborts the start and stops whatever it left running. */
  async end(): Promise<void> {
    this.controller.abort();
    const outcome = await within(this.settled, STOP_DEADLINE_MS, "startAccount() did not settle").catch(
      () => undefined,
    );
    if (outcome !== undefined && "handle" in outcome) await outcome.handle.stop().catch(() => undefined);
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}

/** Runs `body` with the harness's outage controls; returns a reason to skip when the harness has none. */
async function withOutage(
  plugin: ChannelPlugin,
  createHarness: ConformanceHarnessFactory,
  body: (outage: ConformanceOutage, harness: ClosableConformanceHarness, config: unknown) => Promise<void>,
): Promise<string | undefined> {
  let skipped: string | undefined;
  await withHarness(createHarness, async (harness) => {
    const outage = harness.outage;
    if (outage === undefined) {
      skipped =
        "the harness has no outage controls: add outage (e.g. @openclaw/testing's startPlatformOutage)";
      return;
    }
    try {
      await body(outage, harness, parseConfig(plugin, harness.accountConfig));
    } finally {
      await outage.restore();
    }
  });
  return skipped;
}

/**
 * With the platform refusing connections or answering 500, the start must fail visibly and soon (no library
 * retrying quietly for ever); once the platform is back, the next start (the gateway's next backoff step) connects.
 */
export function checkOutageSurfaces(
  plugin: ChannelPlugin,
  createHarness: ConformanceHarnessFactory,
  options: ConformanceOptions,
  mode: Exclude<ConformanceOutageMode, "hang">,
): Promise<string | undefined> {
  const timeoutMs = options.timeoutMs ?? 5000;
  return withOutage(plugin, createHarness, async (outage, harness, config) => {
    const accountId = harness.accountId ?? "default";
    await outage.fail(mode);
    const attempt = new StartAttempt(plugin, accountId, config);
    try {
      await attempt.waitUntil(
        () => attempt.surfacedError !== undefined || attempt.claimedConnected,
        timeoutMs,
        `with the platform ${MODE_TEXT[mode]}, startAccount() neither rejected nor reported setStatus({ connected: false, lastError }): do not let the platform library retry quietly; fail the start and the gateway retries with backoff`,
      );
      if (attempt.claimedConnected) {
        fail(
          `startAccount() reported setStatus({ connected: true }) while the platform was ${MODE_TEXT[mode]}`,
        );
      }
      if (attempt.surfacedError === "")
        fail("the start failed with an empty message: say what failed and the fix");
    } finally {
      await attempt.end();
    }
    await outage.restore();
    const account = new RunningAccount(plugin, accountId, timeoutMs);
    try {
      await account.start(config);
    } finally {
      account.controller.abort();
      await account.stop().catch(() => undefined);
    }
  });
}

/**
 * With the platform not answering, aborting ctx.signal (what the gateway does when a start passes its deadline)
 * must end the start within the stop bound instead of leaving requests and retries running in the background.
 */
export function checkAbortWhileStarting(
  plugin: ChannelPlugin,
  createHarness: ConformanceHarnessFactory,
  _options: ConformanceOptions,
): Promise<string | undefined> {
  return withOutage(plugin, createHarness, async (outage, harness, config) => {
    await outage.fail("hang");
    const attempt = new StartAttempt(plugin, harness.accountId ?? "default", config);
    try {
      // Nothing to await: the platform swallows the first request; the start must be in flight when aborted.
      await new Promise((resolve) => setTimeout(resolve, HANG_BEFORE_ABORT_MS));
      if (attempt.outcome !== undefined) return;
      attempt.controller.abort();
      await within(
        attempt.settled,
        STOP_DEADLINE_MS,
        "startAccount() did not settle after ctx.signal aborted while the platform did not answer: pass ctx.signal to the start's requests and stop retrying once it aborts",
      );
      if (attempt.claimedConnected) {
        fail("startAccount() reported setStatus({ connected: true }) while the platform did not answer");
      }
    } finally {
      await attempt.end();
    }
  });
}
