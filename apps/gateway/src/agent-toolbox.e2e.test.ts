import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GatewayClient } from "@openclaw/client";
import {
  type FakeModelServer,
  type FakeTelegramServer,
  type FakeWebSite,
  lastUserText,
  type RecordedRequest,
  startFakeModelServer,
  startFakeTelegramServer,
  startFakeWebSite,
} from "@openclaw/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type GatewayServer, startGatewayServer } from "./index.js";

// The agent's toolbox as a user meets it: a Telegram DM, the real gateway with its built-in tools, a scripted model.
const TOKEN = "t".repeat(64);
const ALICE = { id: 2001, first_name: "Alice", username: "alice" };
const DM_ALICE = { id: 2001, type: "private" as const };
const ARTICLE = `<!doctype html><html><head><title>Moon facts</title></head><body><nav>Home</nav>
<article><h1>Moon facts</h1><p>The Moon drifts about 3.8 centimetres away from Earth every year.</p>
<p>It is the fifth largest moon in the Solar System.</p></article></body></html>`;

let stateDir: string;
let model: FakeModelServer;
let telegram: FakeTelegramServer;
let site: FakeWebSite;
let gateway: GatewayServer | undefined;
let client: GatewayClient | undefined;

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "openclaw-toolbox-e2e-"));
  model = await startFakeModelServer();
  telegram = await startFakeTelegramServer();
  site = await startFakeWebSite({ "/moon": { body: ARTICLE } });
});

afterEach(async () => {
  await client?.close();
  client = undefined;
  await gateway?.close();
  gateway = undefined;
  await Promise.all([telegram.close(), model.close(), site.close()]);
  await rm(stateDir, { recursive: true, force: true });
});

async function start(extra: Record<string, unknown> = {}): Promise<GatewayClient> {
  const config = {
    models: {
      providers: {
        fake: {
          baseUrl: model.baseUrlFor("openai-completions"),
          apiKey: "k",
          api: "openai-completions",
          models: [{ id: "instant" }],
        },
      },
    },
    agents: { defaults: { model: { primary: "fake/instant" } } },
    session: { dmScope: "per-channel-peer" },
    channels: {
      telegram: {
        botToken: telegram.token,
        apiRoot: telegram.apiRoot,
        pollTimeoutSeconds: 1,
        allowFrom: [String(ALICE.id)],
      },
    },
    ...extra,
  };
  await writeFile(join(stateDir, "openclaw.json"), JSON.stringify(config));
  gateway = await startGatewayServer(0, { stateDir, env: {}, auth: { mode: "token", token: TOKEN } });
  client = new GatewayClient({ url: gateway.url, token: TOKEN });
  await client.connect();
  return client;
}

/** Alice writes to the bot; resolves with the bot's next answer containing `expected`. */
async function askOnTelegram(text: string, expected: string): Promise<string> {
  telegram.sendMessage({ chat: DM_ALICE, from: ALICE, text });
  try {
    const [reply] = await telegram.waitForSent(
      (sent) =>
        sent.method === "sendMessage" &&
        sent.chatId === String(DM_ALICE.id) &&
        (sent.text ?? "").includes(expected),
    );
    return reply?.text ?? "";
  } catch (error) {
    const texts = telegram.sent.filter((sent) => sent.method === "sendMessage").map((sent) => sent.text);
    throw new Error(`${(error as Error).message}; the bot sent ${JSON.stringify(texts)}`);
  }
}

/** The text the model was shown as the result of its tool call (what it reads on its next step). */
function toolResultSeen(request: RecordedRequest | undefined): string {
  const messages: { role: string; content: unknown }[] = request?.body?.messages ?? [];
  return messages
    .filter((message) => message.role === "tool")
    .map((message) =>
      typeof message.content === "string" ? message.content : JSON.stringify(message.content),
    )
    .join("\n");
}

function offeredToolNames(request: RecordedRequest | undefined): string[] {
  const tools: { function?: { name?: string } }[] = request?.body?.tools ?? [];
  return tools.map((tool) => tool.function?.name ?? "");
}

describe("the agent's toolbox over Telegram", () => {
  it("writes a note into the workspace, and a new session finds it with memory_search", async () => {
    const operator = await start();
    model.enqueue(
      {
        toolCalls: [
          {
            id: "call_write",
            name: "write",
            arguments: {
              path: "memory/groceries.md",
              content: "# Groceries\n\nBuy oat milk and fresh basil.\n",
            },
          },
        ],
      },
      { text: "Noted: oat milk and basil." },
    );
    await askOnTelegram("please remember to buy oat milk and basil", "Noted");
    const note = await readFile(join(stateDir, "workspace", "memory", "groceries.md"), "utf8");
    expect(note).toContain("oat milk");
    // The workspace was seeded at start and its files reached the model's system prompt.
    expect(existsSync(join(stateDir, "workspace", "SOUL.md"))).toBe(true);
    expect(JSON.stringify(model.requests[0]?.body.messages[0])).toContain("SOUL.md");

    model.enqueue(
      { toolCalls: [{ id: "call_recall", name: "memory_search", arguments: { query: "oat milk" } }] },
      { text: "You wanted oat milk and basil." },
    );
    const sent = await operator.request("chat.send", {
      sessionKey: "agent:main:planner",
      message: "what was on my shopping list?",
      idempotencyKey: "recall-1",
    });
    await waitForFinal(operator, sent.runId);
    const seen = toolResultSeen(model.requests.at(-1));
    expect(seen).toContain("memory/groceries.md");
    expect(seen).toContain("oat milk");
  });

  it("refuses a path that leaves the workspace and tells the model which setting governs it", async () => {
    await start();
    model.enqueue(
      {
        toolCalls: [
          { id: "call_escape", name: "write", arguments: { path: "../escaped.txt", content: "x" } },
        ],
      },
      { text: "I cannot write there." },
    );
    await askOnTelegram("write outside", "cannot write there");
    expect(existsSync(join(stateDir, "escaped.txt"))).toBe(false);
    expect(toolResultSeen(model.requests.at(-1))).toContain("tools.fs.workspaceOnly");
  });

  it("web_fetch refuses a loopback page by default and reads it once the private-network switch is on", async () => {
    const operator = await start();
    const url = `${site.url}/moon`;
    model.enqueue(
      { toolCalls: [{ id: "call_fetch_1", name: "web_fetch", arguments: { url } }] },
      { text: "That address is blocked." },
    );
    await askOnTelegram("read the moon page", "blocked");
    expect(site.requests).toHaveLength(0);
    expect(toolResultSeen(model.requests.at(-1))).toContain("dangerouslyAllowPrivateNetwork");

    const current = await operator.request("config.get", {});
    await operator.request("config.patch", {
      raw: JSON.stringify({
        tools: { web: { fetch: { ssrfPolicy: { dangerouslyAllowPrivateNetwork: true } } } },
      }),
      baseHash: current.hash,
    });
    model.enqueue(
      { toolCalls: [{ id: "call_fetch_2", name: "web_fetch", arguments: { url } }] },
      { text: "It drifts 3.8 cm a year." },
    );
    // Telegram's MarkdownV2 escapes the dot, so the check avoids it.
    await askOnTelegram("try again", "cm a year");
    expect(site.requests).toHaveLength(1);
    const seen = toolResultSeen(model.requests.at(-1));
    expect(seen).toContain("3.8 centimetres");
    expect(seen).not.toContain("<nav>");
  });

  it("sessions_spawn runs a sub-agent whose result comes back to the parent's chat", async () => {
    // The default dmScope: the DM's session key (agent:main:main) names no chat, so the answer goes where the
    // session's last message came from.
    await start({ session: { dmScope: "main" } });
    const task = "Count the moons of Mars";
    model.enqueue({ toolCalls: [{ id: "call_spawn", name: "sessions_spawn", arguments: { task } }] });
    model.setDefaultReply((request) => {
      const last = lastUserText(request);
      if (last.includes("Mars has two moons")) return { text: "Your helper reports: Mars has two moons." };
      if (last.includes(task)) return { text: "Mars has two moons, Phobos and Deimos." };
      return { text: "I asked a helper; I will tell you what it finds." };
    });
    await askOnTelegram("how many moons does Mars have? ask a helper", "I asked a helper");
    const final = await askOnTelegramReply("Your helper reports");
    expect(final).toContain("Mars has two moons");
    const childRequest = model.requests.find((request) => lastUserText(request).includes(task));
    expect(childRequest).toBeDefined();
  });

  it("never describes a denied tool to the model, and /tools/invoke follows the same policy and auth", async () => {
    await start({ tools: { deny: ["web_fetch", "group:automation"] } });
    model.setDefaultReply({ text: "ok" });
    await askOnTelegram("hello", "ok");
    const offered = offeredToolNames(model.requests[0]);
    expect(offered).toContain("read");
    expect(offered).toContain("memory_search");
    expect(offered).not.toContain("web_fetch");
    expect(offered).not.toContain("cron");
    expect(JSON.stringify(model.requests[0]?.body)).not.toContain('"web_fetch"');

    await writeFile(join(stateDir, "workspace", "hello.txt"), "hello from the workspace\n");
    const invoke = (body: unknown, token: string | null = TOKEN) =>
      fetch(`${gateway?.url.replace(/^ws/, "http")}/tools/invoke`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        },
        body: JSON.stringify(body),
      });
    expect((await invoke({ tool: "read", args: { path: "hello.txt" } }, null)).status).toBe(401);
    const denied = await invoke({ tool: "web_fetch", args: { url: `${site.url}/moon` } });
    expect([403, 404]).toContain(denied.status);
    expect(site.requests).toHaveLength(0);
    const read = await invoke({ tool: "read", args: { path: "hello.txt" } });
    expect(read.status).toBe(200);
    expect(JSON.stringify(await read.json())).toContain("hello from the workspace");
  });
});

async function askOnTelegramReply(expected: string): Promise<string> {
  const [reply] = await telegram.waitForSent(
    (sent) => sent.method === "sendMessage" && (sent.text ?? "").includes(expected),
  );
  return reply?.text ?? "";
}

async function waitForFinal(operator: GatewayClient, runId: string): Promise<void> {
  await operator.request("agent.wait", { runId, timeoutMs: 25_000 });
}
