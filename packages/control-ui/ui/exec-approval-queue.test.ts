import type { ExecApprovalRecord } from "@openclaw/protocol";
import { describe, expect, it } from "vitest";
import { describeApprovalOutcome, ExecApprovalQueue } from "./exec-approval-queue.js";

function record(id: string, createdAtMs: number, timeoutMs = 60_000): ExecApprovalRecord {
  return {
    id,
    commandText: `echo ${id}`,
    cwd: null,
    agentId: "main",
    sessionKey: null,
    host: "gateway",
    warningText: null,
    allowedDecisions: ["allow-once", "allow-always", "deny"],
    createdAtMs,
    expiresAtMs: createdAtMs + timeoutMs,
  };
}

describe("describeApprovalOutcome", () => {
  const base = { id: "a", createdAtMs: 0, resolvedAtMs: 1 };

  it("names who answered: this tab, another operator, or nobody", () => {
    expect(
      describeApprovalOutcome(
        { ...base, decision: "allow-once", reason: "operator", resolvedBy: "me" },
        "me",
      ),
    ).toBe("allowed once by you");
    expect(
      describeApprovalOutcome({ ...base, decision: "deny", reason: "operator", resolvedBy: "conn-2" }, "me"),
    ).toBe("denied by another operator (connection conn-2)");
    expect(describeApprovalOutcome({ ...base, decision: "allow-always", reason: "operator" }, "me")).toBe(
      "allowed always by an operator",
    );
  });

  it("explains the answers nobody gave", () => {
    expect(describeApprovalOutcome({ ...base, decision: "deny", reason: "timeout" }, "me")).toBe(
      "denied: no answer in time",
    );
    expect(describeApprovalOutcome({ ...base, decision: "deny", reason: "shutdown" }, "me")).toBe(
      "denied: the gateway shut down",
    );
    expect(describeApprovalOutcome({ ...base, decision: "allow-always", reason: "allowlist" }, "me")).toBe(
      "allowed always: the command is on the allowlist",
    );
  });
});

describe("ExecApprovalQueue", () => {
  it("replaces from the list, adds from events, and turns a resolution into an outcome", () => {
    const now = 1_000_000;
    const queue = new ExecApprovalQueue({ selfConnId: () => "me", now: () => now });
    let changes = 0;
    const unsubscribe = queue.subscribe(() => {
      changes += 1;
    });
    queue.replace([record("late", now, 90_000), record("soon", now, 10_000)]);
    expect(queue.pending.map((entry) => entry.id)).toEqual(["soon", "late"]);
    queue.add(record("new", now));
    expect(queue.size).toBe(3);

    const outcome = queue.resolve({
      id: "soon",
      decision: "allow-once",
      reason: "operator",
      createdAtMs: now,
      resolvedAtMs: now + 5,
      resolvedBy: "me",
    });
    expect(outcome).toMatchObject({ id: "soon", commandText: "echo soon", note: "allowed once by you" });
    expect(queue.outcomes.map((entry) => entry.id)).toEqual(["soon"]);
    expect(queue.size).toBe(2);
    // An approval this tab never showed leaves no outcome.
    expect(
      queue.resolve({ id: "other", decision: "deny", reason: "timeout", createdAtMs: 0, resolvedAtMs: 0 }),
    ).toBe(undefined);
    expect(changes).toBe(3);
    unsubscribe();
    queue.replace([]);
    expect(changes).toBe(3);
  });

  it("counts down on the gateway's clock even when the browser's is off", () => {
    let now = 5_000;
    const queue = new ExecApprovalQueue({ selfConnId: () => "me", now: () => now });
    // The gateway's clock is 100 s ahead: the request was created "now" there.
    queue.add(record("a", now + 100_000, 30_000));
    const [entry] = queue.pending;
    if (entry === undefined) throw new Error("the approval should be pending");
    expect(queue.msLeft(entry)).toBe(30_000);
    now += 12_000;
    expect(queue.msLeft(entry)).toBe(18_000);
    now += 60_000;
    expect(queue.msLeft(entry)).toBe(0);
  });

  it("keeps only the latest outcomes", () => {
    const queue = new ExecApprovalQueue({ selfConnId: () => "me", now: () => 0 });
    for (let index = 0; index < 15; index += 1) {
      queue.add(record(`r${index}`, 0));
      queue.resolve({
        id: `r${index}`,
        decision: "deny",
        reason: "timeout",
        createdAtMs: 0,
        resolvedAtMs: index,
      });
    }
    expect(queue.outcomes).toHaveLength(10);
    expect(queue.outcomes[0]?.id).toBe("r14");
  });
});
