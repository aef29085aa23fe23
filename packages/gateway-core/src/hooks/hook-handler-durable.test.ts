import { afterEach, describe, expect, it } from "vitest";
import { closeHarnesses, HOOK_TOKEN, post, startHarness } from "./hook-test-harness.js";

afterEach(closeHarnesses);

const DISK_FULL = "ENOSPC: no space left on device, write";

describe("hooks answer only once the message is durable", () => {
  it("/hooks/agent: the 200 comes after the user message is written, not before", async () => {
    const harness = await startHarness();
    harness.chat.holdWrites();
    const answered = post(harness, "/hooks/agent", { message: "deploy finished" }).then((response) => {
      harness.chat.events.push("answered");
      return response;
    });
    await expect.poll(() => harness.chat.heldWrites).toBe(1);
    harness.chat.events.push("released");
    harness.chat.releaseWrites();
    const response = await answered;
    expect(response.status).toBe(200);
    expect(harness.chat.events).toEqual(["released", "written", "answered"]);
    expect(response.json.runId).toBe(harness.chat.starts[0]?.runId);
  });

  it("/hooks/agent: a failed write answers 503 RUN_NOT_RECORDED and logs it; a retry with the same key runs", async () => {
    const harness = await startHarness();
    harness.chat.failWrites = new Error(DISK_FULL);
    const headers = { authorization: `Bearer ${HOOK_TOKEN}`, "idempotency-key": "build-7" };
    const refused = await post(harness, "/hooks/agent", { message: "build 7 failed" }, headers);
    expect(refused.status).toBe(503);
    expect(refused.json).toMatchObject({ ok: false, error: { code: "RUN_NOT_RECORDED" } });
    expect(refused.json.error.message).toContain("could not be recorded, so no run was started");
    expect(refused.json.error.message).toContain(DISK_FULL);
    expect(harness.chat.starts).toHaveLength(0);
    const logged = harness.logs.find((record) => record.msg.includes("could not be recorded"));
    expect(logged?.level).toBe("error");
    expect(JSON.stringify(harness.logs)).not.toContain("build 7 failed");

    harness.chat.failWrites = undefined;
    const retried = await post(harness, "/hooks/agent", { message: "build 7 failed" }, headers);
    expect(retried.status).toBe(200);
    expect(harness.chat.starts).toHaveLength(1);
  });

  it("/hooks/agent: a retry arriving during the write waits for it and gets the same run", async () => {
    // The replay cache reads the clock when it stores a key and when a lookup finds one: two reads mean the
    // retry has found the first request's admission while its write is still held.
    let clockReads = 0;
    const now = () => {
      clockReads += 1;
      return Date.now();
    };
    const harness = await startHarness(undefined, { now });
    harness.chat.holdWrites();
    const headers = { authorization: `Bearer ${HOOK_TOKEN}`, "idempotency-key": "delivery-9" };
    const first = post(harness, "/hooks/agent", { message: "once" }, headers);
    await expect.poll(() => harness.chat.heldWrites).toBe(1);
    const retry = post(harness, "/hooks/agent", { message: "once" }, headers);
    await expect.poll(() => clockReads).toBe(2);
    expect(harness.chat.heldWrites).toBe(1);
    harness.chat.releaseWrites();
    const [a, b] = await Promise.all([first, retry]);
    expect(a.status).toBe(200);
    expect(b.json.runId).toBe(a.json.runId);
    expect(harness.chat.starts).toHaveLength(1);
  });

  it("/hooks/wake: a failed write answers 503 and leaves nothing pending, so the same wake is queued later", async () => {
    const harness = await startHarness();
    harness.chat.failWrites = new Error(DISK_FULL);
    const refused = await post(harness, "/hooks/wake", { text: "import completed" });
    expect(refused.status).toBe(503);
    expect(refused.json.error.code).toBe("RUN_NOT_RECORDED");

    harness.chat.failWrites = undefined;
    const again = await post(harness, "/hooks/wake", { text: "import completed" });
    expect(again.json).toMatchObject({ ok: true, eventOutcome: "queued" });
    expect(harness.chat.starts).toHaveLength(1);
  });

  it("/hooks/wake: an identical wake during the write coalesces and is answered with the same run", async () => {
    const harness = await startHarness();
    harness.chat.holdWrites();
    const first = post(harness, "/hooks/wake", { text: "import completed" });
    await expect.poll(() => harness.chat.heldWrites).toBe(1);
    const second = post(harness, "/hooks/wake", { text: "import completed" });
    harness.chat.releaseWrites();
    const [a, b] = await Promise.all([first, second]);
    expect(a.json).toMatchObject({ ok: true, eventOutcome: "queued" });
    expect(b.json).toMatchObject({ ok: true, eventOutcome: "coalesced", runId: a.json.runId });
    expect(harness.chat.starts).toHaveLength(1);
  });
});
