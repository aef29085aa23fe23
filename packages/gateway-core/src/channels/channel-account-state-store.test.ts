import { MAX_CHANNEL_STATE_VALUE_BYTES } from "@openclaw/plugin-sdk";
import { createMemoryStorage } from "@openclaw/sessions";
import { expect, it } from "vitest";
import {
  CHANNEL_STATE_TABLE,
  channelStateRowKey,
  createChannelAccountStateStore,
} from "./channel-account-state-store.js";

it("keeps each account's values apart and in the storage table", async () => {
  const storage = createMemoryStorage();
  const stateFor = createChannelAccountStateStore(storage);
  await stateFor("telegram", "default").set("telegram.update-offset", { lastUpdateId: 7, botId: 1 });
  await stateFor("telegram", "work").set("telegram.update-offset", { lastUpdateId: 9, botId: 2 });

  expect(await stateFor("telegram", "default").get("telegram.update-offset")).toEqual({
    lastUpdateId: 7,
    botId: 1,
  });
  expect(await stateFor("telegram", "work").get("telegram.update-offset")).toEqual({
    lastUpdateId: 9,
    botId: 2,
  });
  expect(await stateFor("slack", "default").get("telegram.update-offset")).toBeUndefined();
  const row = await storage
    .table(CHANNEL_STATE_TABLE)
    .get(channelStateRowKey("telegram", "work", "telegram.update-offset"));
  expect(row?.value).toEqual({ lastUpdateId: 9, botId: 2 });
  // A fresh store over the same storage (a restart) reads what was written.
  expect(
    await createChannelAccountStateStore(storage)("telegram", "work").get("telegram.update-offset"),
  ).toEqual({
    lastUpdateId: 9,
    botId: 2,
  });
});

it("refuses odd keys, non-JSON and oversized values before writing", async () => {
  const state = createChannelAccountStateStore(createMemoryStorage())("telegram", "default");
  await expect(state.set("../etc", 1)).rejects.toMatchObject({ code: "CHANNEL_STATE_INVALID" });
  await expect(state.get("")).rejects.toMatchObject({ code: "CHANNEL_STATE_INVALID" });
  await expect(state.set("cursor", undefined)).rejects.toMatchObject({ message: /must be JSON/ });
  await expect(state.set("cursor", "x".repeat(MAX_CHANNEL_STATE_VALUE_BYTES))).rejects.toMatchObject({
    message: /over the 16384-byte limit/,
  });
  expect(await state.get("cursor")).toBeUndefined();
});
