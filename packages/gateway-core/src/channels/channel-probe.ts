import type { ChannelPlugin } from "@openclaw/plugin-sdk";
import { type AccountRuntime, type ChannelAccountRuntimeSnapshot, withTimeout } from "./account-runtime.js";
import { describeError } from "./channel-error.js";

export const DEFAULT_PROBE_TIMEOUT_MS = 10_000;

export type ProbeResult = { ok: boolean; detail?: string };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function normaliseProbe(value: unknown): ProbeResult {
  if (!isObject(value) || typeof value.ok !== "boolean") {
    return { ok: false, detail: "probe returned no { ok } result" };
  }
  return typeof value.detail === "string" ? { ok: value.ok, detail: value.detail } : { ok: value.ok };
}

/** The plugin's probe of one account under a timeout; never rejects. */
export function probeAccount(
  plugin: ChannelPlugin,
  accountId: string,
  timeoutMs: number,
): Promise<ProbeResult> {
  const probe = plugin.probe;
  if (probe === undefined) return Promise.resolve({ ok: false, detail: "the plugin has no probe" });
  return withTimeout(
    () => probe.call(plugin, { accountId, timeoutMs }),
    timeoutMs,
    `probe timed out after ${timeoutMs}ms`,
  ).then(
    (value) => (value.timedOut ? { ok: false, detail: value.reason } : normaliseProbe(value.value)),
    (error: unknown) => ({ ok: false, detail: describeError(error) }),
  );
}

/** True while `startAccount` has neither resolved nor failed: the adapter has nothing to probe yet. */
export function isStarting(rt: AccountRuntime): boolean {
  return rt.wanted && rt.snapshot.running && rt.handle === undefined;
}

/** The probe answer for an account still starting, saying so instead of the adapter's "not running". */
export function startingProbe(snapshot: ChannelAccountRuntimeSnapshot, now: number): ProbeResult {
  const since = snapshot.lastStartAt === null ? 0 : Math.round((now - snapshot.lastStartAt) / 1000);
  return { ok: false, detail: `still starting (${since} s): not connected yet` };
}

/**
 * What a probe's verdict changes in the account's state, so that `channels.status` and `channels status --probe`
 * agree: a failed probe of an account the gateway runs becomes its lastError (unless it has one already), and a
 * later successful probe clears exactly that error again.
 */
export function probeVerdict(
  rt: AccountRuntime,
  probe: ProbeResult,
): Partial<ChannelAccountRuntimeSnapshot> | undefined {
  if (!probe.ok && rt.wanted && rt.snapshot.lastError === null) {
    rt.probeError = `probe failed: ${probe.detail ?? "no detail"}`;
    return { lastError: rt.probeError };
  }
  if (probe.ok && rt.probeError !== undefined && rt.snapshot.lastError === rt.probeError) {
    rt.probeError = undefined;
    return { lastError: null };
  }
  return undefined;
}
