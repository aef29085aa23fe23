import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ExecApprovalRecord, GatewayError } from "@openclaw/protocol";
import { afterEach, describe, expect, it } from "vitest";
import {
  localHub,
  RecordingTarget,
  recordingLogger,
  settle,
  useMemoryCluster,
} from "../cluster/cluster.test-support.js";
import { createClusterBroadcastRelay } from "../cluster/cluster-broadcast-relay.js";
import { createExecAllowlist, type ExecAllowlist } from "./exec-allowlist.js";
import { openTableExecAllowlist } from "./exec-allowlist-table.js";
import { EXEC_APPROVAL_RESOLVED_EVENT, ExecApprovalManager } from "./exec-approval-manager.js";

const openInstance = useMemoryCluster();
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** One gateway instance's approvals: a real manager, its events through the real relay to a recording client. */
async function instance(id: string, forwardTimeoutMs = 3000, allowlistIn: "files" | "table" = "files") {
  const { cluster, storage } = await openInstance(id);
  const stateDir = await mkdtemp(join(tmpdir(), `exec-approval-cluster-${id}-`));
  const client = new RecordingTarget(`${id}-operator`, ["operator.approvals"]);
  const { logger } = recordingLogger();
  const relay = createClusterBroadcastRelay({ hub: localHub([client]), cluster, logger });
  const allowlist: ExecAllowlist =
    allowlistIn === "table" ? await openTableExecAllowlist({ storage }) : createExecAllowlist(stateDir);
  const approvals = new ExecApprovalManager({
    emit: (event, payload, scope) => relay.broadcast(event, payload, scope),
    allowlist,
    logger,
    cluster,
    forwardTimeoutMs,
  });
  cleanups.push(async () => {
    approvals.close();
    relay.close();
    await rm(stateDir, { recursive: true, force: true });
  });
  return { id, cluster, approvals, client, allowlist };
}

const rejection = async (promise: Promise<unknown> | unknown): Promise<GatewayError> => {
  try {
    await promise;
  } catch (error) {
    return error as GatewayError;
  }
  throw new Error("expected a rejection");
};

describe("exec approvals across gateway instances", () => {
  it("answers on B an approval asked on A; every instance's clients see it asked and resolved once", async () => {
    const a = await instance("a");
    const b = await instance("b");
    const decided = a.approvals.request({
      id: "ap-1",
      command: "git push",
      agentId: "main",
      timeoutMs: 60_000,
    });
    await settle(a.cluster, b.cluster);

    expect(b.approvals.pending().map((record) => record.id)).toEqual(["ap-1"]);
    expect(b.approvals.get("ap-1")).toMatchObject({ id: "ap-1", commandText: "git push" });
    expect(b.client.named("exec.approval.requested")).toHaveLength(1);

    await expect(b.approvals.resolve("ap-1", "allow-once", "b-conn")).resolves.toEqual({
      ok: true,
      id: "ap-1",
      decision: "allow-once",
    });
    await expect(decided).resolves.toMatchObject({
      decision: "allow-once",
      reason: "operator",
      resolvedBy: "b-conn",
    });
    await settle(a.cluster, b.cluster);

    for (const each of [a, b]) {
      expect(each.client.named(EXEC_APPROVAL_RESOLVED_EVENT)).toHaveLength(1);
      expect(each.approvals.pending()).toEqual([]);
    }
    expect(a.client.named("exec.approval.requested")).toHaveLength(1);
  });

  it("lets exactly one of several simultaneous answers win, cluster-wide", async () => {
    const a = await instance("a");
    const b = await instance("b");
    const c = await instance("c");
    const decided = a.approvals.request({ id: "race", command: "rm -rf build", timeoutMs: 60_000 });
    await settle(a.cluster, b.cluster, c.cluster);

    const answers = [
      Promise.resolve().then(() => b.approvals.resolve("race", "allow-once", "b-conn")),
      Promise.resolve().then(() => c.approvals.resolve("race", "deny", "c-conn")),
      Promise.resolve().then(() => b.approvals.resolve("race", "deny", "b-conn-2")),
    ];
    const outcomes = await Promise.allSettled(answers);
    const won = outcomes.filter((outcome) => outcome.status === "fulfilled");
    const lost = outcomes.filter((outcome) => outcome.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost.map((outcome) => (outcome.reason as GatewayError).code)).toEqual([
      "APPROVAL_NOT_FOUND",
      "APPROVAL_NOT_FOUND",
    ]);
    const winner = (won[0] as PromiseFulfilledResult<{ decision: string }>).value;
    await expect(decided).resolves.toMatchObject({ decision: winner.decision });
    await settle(a.cluster, b.cluster, c.cluster);
    for (const each of [a, b, c]) expect(each.client.named(EXEC_APPROVAL_RESOLVED_EVENT)).toHaveLength(1);
  });

  it("tells a late answer on another instance at once that the approval was answered", async () => {
    const a = await instance("a");
    const b = await instance("b", 60_000);
    const decided = a.approvals.request({ id: "once", command: "make deploy", timeoutMs: 60_000 });
    await settle(a.cluster, b.cluster);
    a.approvals.resolve("once", "deny", "a-conn");
    await decided;
    // Asked before B heard of the answer: A remembers it and refuses, without B waiting out its forward timeout.
    const error = await rejection(b.approvals.resolve("once", "allow-once"));
    expect(error.code).toBe("APPROVAL_NOT_FOUND");
  });

  it("answers APPROVAL_NOT_FOUND for an id no instance holds, once the forward timeout passed", async () => {
    const a = await instance("a", 300);
    await instance("b");
    const started = Date.now();
    const error = await rejection(a.approvals.resolve("nobody-asked", "allow-once"));
    expect(error.code).toBe("APPROVAL_NOT_FOUND");
    expect(error.message).toContain("nobody-asked");
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it("passes the owner's refusal of an invalid decision back to the instance that was asked", async () => {
    const a = await instance("a");
    const b = await instance("b");
    void a.approvals.request({
      id: "no-always",
      command: "curl example.com",
      unavailableDecisions: ["allow-always"],
      timeoutMs: 60_000,
    });
    await settle(a.cluster, b.cluster);
    const error = await rejection(b.approvals.resolve("no-always", "allow-always"));
    expect(error.code).toBe("INVALID_REQUEST");
    expect(error.details).toMatchObject({ code: "INVALID_PARAMS" });
    expect(a.approvals.pending().map((record: ExecApprovalRecord) => record.id)).toEqual(["no-always"]);
  });

  it("refuses an id already pending on another instance", async () => {
    const a = await instance("a");
    const b = await instance("b");
    void a.approvals.request({ id: "dup", command: "ls", timeoutMs: 60_000 });
    await settle(a.cluster, b.cluster);
    const error = await rejection(b.approvals.request({ id: "dup", command: "ls" }));
    expect(error.details).toMatchObject({ code: "APPROVAL_EXISTS" });
  });

  it("stops listing an instance's approvals when it shuts down (they are denied there)", async () => {
    const a = await instance("a");
    const b = await instance("b");
    const decided = a.approvals.request({ id: "bye", command: "ls", timeoutMs: 60_000 });
    await settle(a.cluster, b.cluster);
    expect(b.approvals.pending()).toHaveLength(1);
    a.approvals.close();
    await expect(decided).resolves.toMatchObject({ decision: "deny", reason: "shutdown" });
    await settle(a.cluster, b.cluster);
    expect(b.approvals.pending()).toEqual([]);
    expect(b.client.named(EXEC_APPROVAL_RESOLVED_EVENT)).toHaveLength(1);
  });

  it("lets every instance run a command allowed always through an answer given on another", async () => {
    const a = await instance("a", 3000, "table");
    const b = await instance("b", 3000, "table");
    const decided = a.approvals.request({
      id: "always",
      command: "npm test",
      agentId: "main",
      timeoutMs: 60_000,
    });
    await settle(a.cluster, b.cluster);
    await b.approvals.resolve("always", "allow-always", "b-conn");
    await expect(decided).resolves.toMatchObject({ decision: "allow-always" });
    expect(a.approvals.allowsAlways("main", "npm test")).toBe(true);
    // A stored the grant and told B, which re-read its copy of the shared table.
    await expect.poll(() => b.approvals.allowsAlways("main", "npm test")).toBe(true);
    expect(b.approvals.allowsAlways("main", "npm run build")).toBe(false);
  });

  it("stays within the process without a cluster: an unknown id is refused at once", () => {
    const approvals = new ExecApprovalManager({
      emit: () => {},
      allowlist: createExecAllowlist(tmpdir()),
      logger: recordingLogger().logger,
    });
    expect(() => approvals.resolve("unknown", "deny")).toThrow(/no pending exec approval "unknown"/);
    approvals.close();
  });
});
