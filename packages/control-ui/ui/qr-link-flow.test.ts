import type { WebLoginStartResult, WebLoginWaitResult } from "@openclaw/protocol";
import { describe, expect, it } from "vitest";
import { type QrLinkRequests, type QrLinkView, runQrLink } from "./qr-link-flow.js";

const QR1 = "data:image/png;base64,MQ==";
const QR2 = "data:image/png;base64,Mg==";

/** Answers from a script; the clock moves by each answer's `tookMs`, as if the gateway had held the request. */
function scripted(
  start: WebLoginStartResult | Error,
  waits: (WebLoginWaitResult & { tookMs?: number })[],
): { requests: QrLinkRequests; calls: unknown[]; now: () => number } {
  let clock = 0;
  const calls: unknown[] = [];
  return {
    calls,
    now: () => clock,
    requests: {
      start: async (params) => {
        calls.push(["start", params]);
        if (start instanceof Error) throw start;
        return start;
      },
      wait: async (params) => {
        calls.push(["wait", params]);
        const next = waits.shift();
        if (next === undefined) throw new Error("no more scripted waits");
        const { tookMs, ...result } = next;
        clock += tookMs ?? 1_000;
        return result;
      },
    },
  };
}

async function run(script: ReturnType<typeof scripted>, signal = new AbortController().signal) {
  const views: QrLinkView[] = [];
  await runQrLink({
    accountId: "default",
    requests: script.requests,
    onView: (view) => views.push(view),
    signal,
    waitTimeoutMs: 1_000,
    now: script.now,
  });
  return views;
}

describe("runQrLink", () => {
  it("shows the first code, swaps in a rotated one, waits through a quiet timeout, and ends linked", async () => {
    const script = scripted({ qrDataUrl: QR1, message: "scan" }, [
      { connected: false, message: "new code", qrDataUrl: QR2 },
      { connected: false, message: "still waiting" },
      { connected: true, message: "linked" },
    ]);
    const views = await run(script);
    expect(views).toEqual([
      { kind: "starting" },
      { kind: "qr", imageUrl: QR1, message: "scan" },
      { kind: "qr", imageUrl: QR2, message: "new code" },
      { kind: "linked", message: "linked" },
    ]);
    expect(script.calls).toEqual([
      ["start", { accountId: "default", timeoutMs: 20_000 }],
      ["wait", { accountId: "default", timeoutMs: 1_000, currentQrDataUrl: QR1 }],
      ["wait", { accountId: "default", timeoutMs: 1_000, currentQrDataUrl: QR2 }],
      ["wait", { accountId: "default", timeoutMs: 1_000, currentQrDataUrl: QR2 }],
    ]);
  });

  it("shows the gateway's refusal, e.g. when no channel links by QR code", async () => {
    const views = await run(scripted(new Error("no channel that links by QR code is configured"), []));
    expect(views.at(-1)).toEqual({
      kind: "failed",
      message: "no channel that links by QR code is configured",
    });
  });

  it("stops instead of looping when a wait comes back at once with nothing new", async () => {
    const script = scripted({ qrDataUrl: QR1, message: "scan" }, [
      { connected: false, message: "the account stopped", tookMs: 5 },
    ]);
    const views = await run(script);
    expect(views.at(-1)).toEqual({ kind: "failed", message: "the account stopped" });
    expect(script.calls).toHaveLength(2);
  });

  it("sends nothing more once aborted", async () => {
    const controller = new AbortController();
    const script = scripted({ message: "starting" }, [{ connected: false, message: "still waiting" }]);
    const original = script.requests.start;
    script.requests.start = async (params) => {
      const result = await original(params);
      controller.abort();
      return result;
    };
    const views = await run(script, controller.signal);
    expect(views).toEqual([{ kind: "starting" }]);
    expect(script.calls).toHaveLength(1);
  });
});
