import { expect, it } from "vitest";
import { createSessionEntry } from "../session-entry-changes.js";
import { KnownSessionRows } from "./session-store-over-port-known-rows.js";
import type { StoredSession } from "./storage-port.js";

const row = (key: string, version: number): StoredSession => ({
  key,
  agentId: "main",
  entry: createSessionEntry(key, {}, 0),
  version,
});

it("forgets the least recently remembered row past its limit", () => {
  const rows = new KnownSessionRows(2);
  rows.remember("a", row("a", 1));
  rows.remember("b", row("b", 1));
  rows.remember("a", row("a", 2));
  rows.remember("c", row("c", 1));
  expect(rows.get("b")).toBeUndefined();
  expect(rows.get("a")?.version).toBe(2);
  expect(rows.get("c")?.version).toBe(1);
  rows.remember("c", undefined);
  expect(rows.get("c")).toBeUndefined();
});

it("drops a read that a write overtook, keeps one nothing overtook", () => {
  const rows = new KnownSessionRows();
  const before = rows.stamp();
  rows.remember("a", row("a", 6));
  rows.rememberRead("a", row("a", 5), before);
  expect(rows.get("a")?.version).toBe(6);
  rows.rememberRead("b", row("b", 3), rows.stamp());
  expect(rows.get("b")?.version).toBe(3);
});

it("remembers nothing with a limit of 0", () => {
  const rows = new KnownSessionRows(0);
  rows.remember("a", row("a", 1));
  expect(rows.get("a")).toBeUndefined();
});
