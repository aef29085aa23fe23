import { type FakeReply, lastUserText, type RecordedRequest } from "@openclaw/testing";
import { afterEach, describe, expect, it } from "vitest";
import { CHANNEL, startToolPortsHarness, type ToolPortsHarness } from "./tool-ports-harness.test-support.js";

/** A DM session whose key names its channel and peer, so replies to it can be delivered. */
const PARENT = `agent:main:${CHANNEL}:direct:u1`;

let harness: ToolPortsHarness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

function hasToolResult(request: RecordedRequest): boolean {
  const messages = (request.body as { messages?: { role?: string }[] }).messages ?? [];
  return messages.some((message) => message.role === "tool");
}

/**
 * The model's side of a delegation: the parent asks for a sub-agent, the child answers its task, and the parent
 * answers the announced result. Decided by what each request carries, since the parent's second step and the
 * child's run may reach the fake in either order.
 */
function delegatingModel(request: RecordedRequest): FakeReply {
  const text = lastUserText(request);
  if (text.includes("[Subagent Task]")) return { text: "The answer is 42." };
  if (text.includes("[Sub-agent result")) return { text: "My helper found it: 42." };
  if (hasToolResult(request)) return { text: "I asked a helper; I will tell you when it reports." };
  return { toolCalls: [{ id: "spawn-1", name: "sessions_spawn", arguments: { task: "Find the answer." } }] };
}

async function transcriptTexts(h: ToolPortsHarness, key: string) {
  return (await h.sessions.readTranscript(key)).map((entry) => ({ role: entry.role, text: entry.text }));
}

describe("sessions_spawn over the gateway", () => {
  it("runs the child in its own session and announces its answer into the parent, whose reply reaches the chat", async () => {
    const h = await startToolPortsHarness();
    harness = h;
    h.model.setDefaultReply(delegatingModel);
    const turn = await h.chat.accept({ sessionKey: PARENT, agentId: "main", message: "What is the answer?" });
    expect((await turn.done).text).toBe("I asked a helper; I will tell you when it reports.");
    await h.ports.idle();

    const parent = await h.sessions.readTranscript(PARENT);
    const spawnResult = parent.find((entry) => entry.role === "tool" && "result" in entry)?.result as {
      status: string;
      childSessionKey: string;
      runId: string;
    };
    expect(spawnResult).toMatchObject({ status: "accepted", context: "isolated", mode: "run" });
    expect(spawnResult.childSessionKey).toMatch(/^agent:main:subagent:[0-9a-f-]{36}$/);

    const child = await transcriptTexts(h, spawnResult.childSessionKey);
    expect(child[0]?.role).toBe("user");
    expect(child[0]?.text).toContain("[Subagent Task]");
    expect(child[0]?.text).toContain("Find the answer.");
    expect(child.at(-1)).toEqual({ role: "assistant", text: "The answer is 42." });

    const announce = parent.find(
      (entry) => entry.role === "user" && entry.text.includes("[Sub-agent result"),
    );
    expect(announce?.text).toContain("The answer is 42.");
    expect(announce?.text).toContain("Status: ok");
    expect(parent.at(-1)).toMatchObject({ role: "assistant", text: "My helper found it: 42." });
    expect(h.sent.map((sent) => ({ to: sent.to, text: sent.text }))).toEqual([
      { to: "u1", text: "My helper found it: 42." },
    ]);

    const listed = await h.call("sessions_list", {}, PARENT);
    expect(listed.sessions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          key: spawnResult.childSessionKey,
          parentSessionKey: PARENT,
          status: "idle",
        }),
      ]),
    );
    // The lineage outlives a restart: a fresh set of ports over the same state still knows the parent.
    const reopened = await h.reopenPorts();
    expect(await reopened.sessions.get(spawnResult.childSessionKey)).toMatchObject({
      parentSessionKey: PARENT,
      spawnDepth: 1,
    });
  });

  it("keeps a private completion out of the chat, and a fire-and-forget child out of the parent", async () => {
    const h = await startToolPortsHarness();
    harness = h;
    h.model.setDefaultReply((request) =>
      lastUserText(request).includes("[Sub-agent result") ? { text: "noted" } : { text: "child done" },
    );
    await h.sessions.ensure(PARENT);
    const quiet = await h.call("sessions_spawn", { task: "a", completionTarget: "parent" }, PARENT);
    const silent = await h.call("sessions_spawn", { task: "b", expectsCompletionMessage: false }, PARENT);
    expect([quiet.status, silent.status]).toEqual(["accepted", "accepted"]);
    await h.ports.idle();
    const announces = (await h.sessions.readTranscript(PARENT)).filter((entry) =>
      entry.text.includes("[Sub-agent result"),
    );
    expect(announces).toHaveLength(1);
    expect(announces[0]?.text).toContain(String(quiet.childSessionKey));
    expect(h.sent).toEqual([]);
  });

  it("reports a nested child's result up one level at a time, once the middle child has heard from it", async () => {
    const h = await startToolPortsHarness();
    harness = h;
    h.model.setDefaultReply((request) => {
      const text = lastUserText(request);
      if (text.includes("[Sub-agent result") && text.includes("leaf says 7"))
        return { text: "middle: leaf said 7" };
      if (text.includes("[Sub-agent result")) return { text: "top: got it" };
      if (text.includes("Spawn a leaf")) {
        return hasToolResult(request)
          ? { text: "middle waiting" }
          : { toolCalls: [{ id: "leaf", name: "sessions_spawn", arguments: { task: "Be the leaf." } }] };
      }
      return { text: "leaf says 7" };
    });
    await h.sessions.ensure(PARENT);
    const middle = await h.call("sessions_spawn", { task: "Spawn a leaf." }, PARENT);
    await h.ports.idle();
    const top = await h.sessions.readTranscript(PARENT);
    const announces = top.filter((entry) => entry.text.includes("[Sub-agent result"));
    // One report reaches the top, and it carries the middle child's answer after hearing from the leaf.
    expect(announces).toHaveLength(1);
    expect(announces[0]?.text).toContain("middle: leaf said 7");
    expect(announces[0]?.text).toContain(String(middle.childSessionKey));
    const middleListing = await h.call("sessions_list", {}, String(middle.childSessionKey));
    const leaf = (middleListing.sessions as { key: string; parentSessionKey?: string }[]).find(
      (row) => row.parentSessionKey === middle.childSessionKey,
    );
    expect(await h.ports.sessions.get(String(leaf?.key))).toMatchObject({ spawnDepth: 2 });
  });

  it("refuses a spawn beyond maxChildrenPerAgent even when the calls arrive together, and queues beyond maxConcurrent", async () => {
    const h = await startToolPortsHarness({
      agents: { defaults: { subagents: { maxChildrenPerAgent: 2, maxConcurrent: 1 } } },
    });
    harness = h;
    h.model.setDefaultReply(() => ({ text: "done" }));
    await h.sessions.ensure(PARENT);
    const results = await Promise.all(
      ["one", "two", "three"].map((task) =>
        h.call("sessions_spawn", { task, expectsCompletionMessage: false }, PARENT),
      ),
    );
    expect(results.map((result) => result.status).sort()).toEqual(["accepted", "accepted", "forbidden"]);
    const forbidden = results.find((result) => result.status === "forbidden");
    expect(forbidden?.error).toContain("(2/2)");
    const queued = results.filter((result) => String(result.note ?? "").includes("queued"));
    expect(queued).toHaveLength(1);
    await h.ports.idle();
    for (const result of results.filter((r) => r.status === "accepted")) {
      const child = await h.sessions.readTranscript(String(result.childSessionKey));
      expect(child.at(-1)).toMatchObject({ role: "assistant", text: "done" });
    }
    // Both children reported, so the parent may spawn again.
    expect(
      (await h.call("sessions_spawn", { task: "four", expectsCompletionMessage: false }, PARENT)).status,
    ).toBe("accepted");
  });

  it("runs an unknown model on the default with a note, and forks the parent's conversation on request", async () => {
    const h = await startToolPortsHarness();
    harness = h;
    h.model.setDefaultReply(() => ({ text: "ok" }));
    await h.sessions.appendTranscript(PARENT, { role: "user", text: "my name is Ada", ts: 1 });
    await h.sessions.appendTranscript(PARENT, { role: "assistant", text: "hello Ada", ts: 2 });
    const result = await h.call(
      "sessions_spawn",
      { task: "greet", model: "nope/missing", context: "fork", expectsCompletionMessage: false },
      PARENT,
    );
    expect(result.note).toContain('model "nope/missing" is not available');
    expect(result.note).toContain("forked 2 message(s)");
    await h.ports.idle();
    const child = await h.sessions.readTranscript(String(result.childSessionKey));
    expect(child.slice(0, 2).map((entry) => entry.text)).toEqual(["my name is Ada", "hello Ada"]);
    expect(h.model.requests.at(-1)?.model).toBe("fake-model");
  });
});

describe("sessions_send over the gateway", () => {
  it("runs a turn in the other session, marked as inter-session, and returns its reply", async () => {
    const h = await startToolPortsHarness();
    harness = h;
    await h.sessions.ensure("agent:main:main");
    await h.sessions.ensure("agent:main:notes");
    const result = await h.call("sessions_send", { sessionKey: "notes", message: "ping" }, "agent:main:main");
    expect(result).toMatchObject({ status: "ok", sessionKey: "agent:main:notes" });
    expect(result.reply).toContain("ping");
    const target = await h.sessions.readTranscript("agent:main:notes");
    expect(target[0]?.text).toContain("[Inter-session message from session agent:main:main");
    expect(target.at(-1)).toMatchObject({ role: "assistant", text: result.reply });
  });

  it("returns accepted at once for timeoutSeconds 0 and timeout when the reply is late", async () => {
    const h = await startToolPortsHarness();
    harness = h;
    await h.sessions.ensure("agent:main:main");
    await h.sessions.ensure("agent:main:notes");
    const accepted = await h.call(
      "sessions_send",
      { sessionKey: "agent:main:notes", message: "later", timeoutSeconds: 0 },
      "agent:main:main",
    );
    expect(accepted).toMatchObject({ status: "accepted", targetDisposition: "queued" });
    h.model.setDefaultReply(() => ({ hang: true, text: "never" }));
    const late = await h.call(
      "sessions_send",
      { sessionKey: "agent:main:notes", message: "slow", timeoutSeconds: 1 },
      "agent:main:main",
    );
    expect(late).toMatchObject({ status: "timeout", sentBeforeError: true });
  });

  it("keeps a DM session from reaching the main session under the default tree visibility", async () => {
    const h = await startToolPortsHarness();
    harness = h;
    await h.sessions.ensure("agent:main:main");
    await h.sessions.ensure(PARENT);
    const result = await h.call("sessions_send", { sessionKey: "main", message: "hi" }, PARENT);
    expect(result).toMatchObject({ status: "forbidden" });
    expect(await h.sessions.readTranscript("agent:main:main")).toEqual([]);
  });
});
