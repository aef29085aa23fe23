import { type FakeTelegramServer, startFakeTelegramServer } from "@openclaw/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { accountProbe, configFor, eventually, startProbe } from "./account-probe.test-support.js";
import type { TelegramAccountHandle } from "./telegram-account.js";
import { createTelegramPlugin } from "./telegram-plugin.js";

const alice = { id: 42, first_name: "Alice", username: "alice" };
const team = { id: -100200, type: "supergroup" as const, title: "Team" };
const commands = [
  { name: "new", description: "Start a new session" },
  { name: "model", description: "Switch the model", args: "<name>" },
  { name: "status", description: "Model, tokens and session" },
  { name: "Not-Valid", description: "skipped: Telegram names are a-z, 0-9 and _" },
];

let fake: FakeTelegramServer;
let plugin: ReturnType<typeof createTelegramPlugin>;
const handles: TelegramAccountHandle[] = [];

beforeEach(async () => {
  fake = await startFakeTelegramServer();
  plugin = createTelegramPlugin();
});

afterEach(async () => {
  await Promise.all(handles.splice(0).map((handle) => handle.stop()));
  await fake.close();
});

describe("native commands", () => {
  it("registers the gateway's commands as the bot's menu when the account starts", async () => {
    await startProbe(plugin, accountProbe(configFor(fake), { commands }), handles);
    await eventually(() => fake.commands.length > 0, "setMyCommands");
    expect(fake.commands).toEqual([
      { command: "new", description: "Start a new session" },
      { command: "model", description: "Switch the model <name>" },
      { command: "status", description: "Model, tokens and session" },
    ]);
  });

  it("turns /cmd@ThisBot args into /cmd args flagged nativeCommand, and leaves other bots' commands alone", async () => {
    const probe = accountProbe(configFor(fake), { commands });
    await startProbe(plugin, probe, handles);
    let arrived = probe.nextInbound();
    fake.sendMessage({ chat: team, from: alice, text: "/model@openclaw_test_bot gpt-5 mini" });
    expect(await arrived).toMatchObject({
      text: "/model gpt-5 mini",
      nativeCommand: true,
      mentionsBot: true,
    });

    arrived = probe.nextInbound();
    fake.sendMessage({ chat: team, from: alice, text: "/status@some_other_bot" });
    fake.sendMessage({ chat: team, from: alice, text: "/new" });
    expect(await arrived).toMatchObject({ text: "/new", nativeCommand: true });

    arrived = probe.nextInbound();
    fake.sendMessage({ chat: team, from: alice, text: "/unknown@openclaw_test_bot x" });
    const unknown = await arrived;
    expect(unknown.text).toBe("/unknown x");
    expect(unknown.nativeCommand).toBeUndefined();
    expect(probe.inbound.map((message) => message.text)).toEqual(["/model gpt-5 mini", "/new", "/unknown x"]);
  });

  it("starts anyway when setMyCommands fails, and says so in the log", async () => {
    fake.failNext("setMyCommands", { status: 400, description: "Bad Request: BOT_COMMANDS_TOO_MUCH" });
    const probe = accountProbe(configFor(fake), { commands });
    await startProbe(plugin, probe, handles);
    await eventually(
      () =>
        probe.logs.some(
          (line) => line.level === "warn" && line.message.startsWith("telegram setMyCommands failed"),
        ),
      "the setMyCommands warning",
    );
    const arrived = probe.nextInbound();
    fake.sendMessage({ chat: team, from: alice, text: "/status" });
    expect(await arrived).toMatchObject({ text: "/status", nativeCommand: true });
  });
});
