import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeTelegramServer, startFakeTelegramServer } from "./fake-telegram-server.js";

const ada = { id: 424242001, first_name: "Ada" };
const dm = { id: ada.id, type: "private" as const };

let fake: FakeTelegramServer;

beforeEach(async () => {
  fake = await startFakeTelegramServer({ token: "555:plain-fetch", botUsername: "fetch_test_bot" });
});

afterEach(async () => {
  await fake.close();
});

interface ApiBody {
  ok: boolean;
  result?: unknown;
  error_code?: number;
  description?: string;
  parameters?: { retry_after?: number };
}

async function call(method: string, params: Record<string, unknown> = {}, token = fake.token) {
  const response = await fetch(`${fake.apiRoot}/bot${token}/${method}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(params),
  });
  return { status: response.status, body: (await response.json()) as ApiBody };
}

async function updateIds(params: Record<string, unknown> = {}): Promise<number[]> {
  const { body } = await call("getUpdates", params);
  return (body.result as { update_id: number }[]).map((update) => update.update_id);
}

describe("getUpdates", () => {
  it("returns unconfirmed updates until an offset above them confirms them", async () => {
    const ids = ["a", "b", "c"].map((text) => fake.sendMessage({ chat: dm, from: ada, text }).update_id);
    expect(ids).toEqual([ids[0], (ids[0] ?? 0) + 1, (ids[0] ?? 0) + 2]);
    expect(await updateIds()).toEqual(ids);
    expect(await updateIds()).toEqual(ids);
    expect(await updateIds({ offset: (ids[0] ?? 0) + 1 })).toEqual(ids.slice(1));
    // Acknowledged updates are forgotten: without an offset, they still do not come back.
    expect(await updateIds()).toEqual(ids.slice(1));
    expect(await updateIds({ limit: 1 })).toEqual(ids.slice(1, 2));
    expect(await updateIds({ offset: -1 })).toEqual(ids.slice(2));
    expect(await updateIds({ offset: (ids[2] ?? 0) + 1 })).toEqual([]);
    expect((await call("getWebhookInfo")).body.result).toMatchObject({ url: "", pending_update_count: 0 });
  });

  it("holds the request for `timeout` seconds when nothing is pending, then answers []", async () => {
    const startedAt = Date.now();
    const poll = updateIds({ timeout: 1 });
    await fake.waitForActivePolls(1);
    expect(await poll).toEqual([]);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(900);
    expect(fake.activePolls).toBe(0);
  });

  it("answers a held request as soon as an update arrives", async () => {
    const poll = updateIds({ timeout: 30 });
    await fake.waitForActivePolls(1);
    const { update_id } = fake.sendMessage({ chat: dm, from: ada, text: "wake up" });
    expect(await poll).toEqual([update_id]);
    expect(fake.activePolls).toBe(0);
  });

  it("ends an older held request with 409 when a second poller arrives", async () => {
    const first = call("getUpdates", { timeout: 30 });
    await fake.waitForActivePolls(1);
    const second = call("getUpdates", { timeout: 0 });
    expect(await first).toEqual({
      status: 409,
      body: {
        ok: false,
        error_code: 409,
        description:
          "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
      },
    });
    expect((await second).body).toEqual({ ok: true, result: [] });
  });

  it("refuses getUpdates while a webhook is set; deleteWebhook can drop pending updates", async () => {
    fake.sendMessage({ chat: dm, from: ada, text: "queued" });
    await call("setWebhook", { url: "https://example.invalid/hook" });
    const refused = await call("getUpdates");
    expect(refused.status).toBe(409);
    expect(refused.body.description).toMatch(/while webhook is active/);
    await call("deleteWebhook", { drop_pending_updates: true });
    expect(await updateIds()).toEqual([]);
  });

  it("honours allowed_updates and keeps the last setting", async () => {
    fake.sendMessage({ chat: dm, from: ada, text: "a message" });
    expect(await updateIds({ allowed_updates: ["callback_query"] })).toEqual([]);
    fake.sendMessage({ chat: dm, from: ada, text: "another" });
    // Without allowed_updates the previous setting still applies, and kinds it excludes are discarded.
    expect(await updateIds()).toEqual([]);
    expect(await updateIds({ allowed_updates: [] })).toEqual([]);
    const { update_id } = fake.sendMessage({ chat: dm, from: ada, text: "now wanted" });
    expect(await updateIds()).toEqual([update_id]);
  });

  it("accepts urlencoded form and query parameters", async () => {
    const { update_id } = fake.sendMessage({ chat: dm, from: ada, text: "form" });
    const form = await fetch(`${fake.apiRoot}/bot${fake.token}/getUpdates`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ offset: String(update_id), allowed_updates: '["message"]' }),
    });
    expect(((await form.json()) as ApiBody).result).toMatchObject([{ update_id }]);
    const query = await fetch(`${fake.apiRoot}/bot${fake.token}/sendMessage?chat_id=${ada.id}&text=hi`);
    expect(((await query.json()) as ApiBody).result).toMatchObject({ chat: { id: ada.id }, text: "hi" });
  });
});

describe("the Bot API envelope", () => {
  it("getMe describes the bot; method names are case-insensitive", async () => {
    const { body } = await call("GETME");
    expect(body).toEqual({
      ok: true,
      result: {
        id: 555,
        is_bot: true,
        first_name: "OpenClaw Test Bot",
        username: "fetch_test_bot",
        can_join_groups: true,
        can_read_all_group_messages: false,
        supports_inline_queries: false,
        can_connect_to_business: false,
        has_main_web_app: false,
      },
    });
    expect(fake.calls.map((entry) => entry.method)).toEqual(["getMe"]);
  });

  it("401 for another token, 404 for an unknown method or path", async () => {
    expect(await call("getMe", {}, "555:wrong")).toEqual({
      status: 401,
      body: { ok: false, error_code: 401, description: "Unauthorized" },
    });
    expect(await call("sendTelepathy")).toEqual({
      status: 404,
      body: { ok: false, error_code: 404, description: "Not Found: method not found" },
    });
    const stray = await fetch(`${fake.apiRoot}/nothing-here`);
    expect(stray.status).toBe(404);
  });

  it("failNext sends Telegram's error JSON with parameters.retry_after", async () => {
    fake.failNext("getUpdates", {
      status: 429,
      description: "Too Many Requests: retry after 7",
      retryAfterSeconds: 7,
    });
    expect(await call("getUpdates")).toEqual({
      status: 429,
      body: {
        ok: false,
        error_code: 429,
        description: "Too Many Requests: retry after 7",
        parameters: { retry_after: 7 },
      },
    });
    expect((await call("getUpdates")).status).toBe(200);
  });

  it("refuses what Telegram refuses on sends", async () => {
    const empty = await call("sendMessage", { chat_id: ada.id, text: " " });
    expect(empty.body.description).toBe("Bad Request: message text is empty");
    const long = await call("sendMessage", { chat_id: ada.id, text: "x".repeat(4097) });
    expect(long.body.description).toBe("Bad Request: message is too long");
    expect((await call("sendMessage", { chat_id: ada.id, text: "x".repeat(4096) })).status).toBe(200);
    const action = await call("sendChatAction", { chat_id: ada.id, action: "dancing" });
    expect(action.body.description).toBe("Bad Request: wrong parameter action in request");
    const missingReply = await call("sendMessage", {
      chat_id: ada.id,
      text: "re",
      reply_parameters: { message_id: 999 },
    });
    expect(missingReply.body.description).toBe("Bad Request: message to be replied not found");
    const edit = await call("editMessageText", { chat_id: ada.id, message_id: 999, text: "new" });
    expect(edit.body.description).toBe("Bad Request: message to edit not found");
    const inbound = fake.sendMessage({ chat: dm, from: ada, text: "mine" });
    const notBots = await call("editMessageText", {
      chat_id: ada.id,
      message_id: inbound.message.message_id,
      text: "new",
    });
    expect(notBots.body.description).toBe("Bad Request: message can't be edited");
    const sent = (await call("sendMessage", { chat_id: ada.id, text: "same" })).body.result as {
      message_id: number;
    };
    const unchanged = await call("editMessageText", {
      chat_id: ada.id,
      message_id: sent.message_id,
      text: "same",
    });
    expect(unchanged.body.description).toMatch(/^Bad Request: message is not modified/);
    const gone = await call("deleteMessage", { chat_id: ada.id, message_id: 999 });
    expect(gone.body.description).toBe("Bad Request: message to delete not found");
    expect(fake.sent.map((entry) => entry.method)).toEqual(["sendMessage", "sendMessage"]);
  });

  it("getChat knows the chats it has seen; commands round-trip", async () => {
    expect((await call("getChat", { chat_id: ada.id })).body.description).toBe("Bad Request: chat not found");
    fake.sendMessage({ chat: dm, from: { ...ada, username: "ada_l" }, text: "hi" });
    expect((await call("getChat", { chat_id: ada.id })).body.result).toMatchObject({
      id: ada.id,
      type: "private",
      first_name: "Ada",
    });
    expect((await call("sendMessage", { chat_id: "@ada_l", text: "by username" })).status).toBe(200);
    const commands = [{ command: "status", description: "Show status" }];
    expect((await call("setMyCommands", { commands })).body.result).toBe(true);
    expect((await call("getMyCommands")).body.result).toEqual(commands);
  });

  it("waitForSent rejects with WAIT_TIMEOUT naming what was sent", async () => {
    await call("sendMessage", { chat_id: ada.id, text: "elsewhere" });
    await expect(fake.waitForSent((sent) => sent.chatId === "1", { timeoutMs: 50 })).rejects.toMatchObject({
      code: "WAIT_TIMEOUT",
      message: expect.stringContaining(`sendMessage(${ada.id})`),
    });
  });

  it("waitForCall resolves on the call that matches, whenever it arrives, and names the calls seen on timeout", async () => {
    const confirmed = fake.waitForCall((made) => made.method === "getUpdates" && made.body.offset === 7);
    await call("getUpdates", { offset: 3 });
    await call("getUpdates", { offset: 7 });
    await expect(confirmed).resolves.toMatchObject({ method: "getUpdates", body: { offset: 7 } });
    await expect(fake.waitForCall((made) => made.method === "setMyCommands", 50)).rejects.toMatchObject({
      code: "WAIT_TIMEOUT",
      message: expect.stringContaining("getUpdates, getUpdates"),
    });
  });
});
