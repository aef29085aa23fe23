import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { groupUsageRows, type UsageQuery, type UsageRow } from "@openclaw/sessions";
import { afterAll, describe, expect, it } from "vitest";
import { createSqliteStorage } from "./sqlite-storage.js";

const dir = await mkdtemp(join(tmpdir(), "openclaw-usage-rows-"));
afterAll(() => rm(dir, { recursive: true, force: true }));

const T0 = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;

function row(index: number): UsageRow {
  const priced = index % 5 !== 0;
  return {
    ts: T0 + index * HOUR,
    runId: `run-${index}`,
    sessionKey: `agent:main:s${index % 37}`,
    agentId: index % 2 === 0 ? "main" : "work",
    channel: "telegram",
    provider: "p",
    model: `m${index % 3}`,
    calls: 1,
    input: index % 1_000,
    output: index % 100,
    cacheRead: 0,
    cacheWrite: 0,
    costInput: priced ? 0.001 : null,
    costOutput: priced ? 0.002 : null,
    costCacheRead: priced ? 0 : null,
    costCacheWrite: priced ? 0 : null,
    costTotal: priced ? 0.003 : null,
    durationMs: index % 700,
    toolCalls: index % 3,
    errors: 0,
  };
}

describe("SQLite usage ledger on a large ledger", () => {
  it("answers wide ranges (scanned) and narrow ones (by the ts index) exactly as the reference", async () => {
    const storage = await createSqliteStorage({ path: join(dir, "gateway.sqlite") });
    const rows = Array.from({ length: 12_000 }, (_, index) => row(index));
    for (let first = 0; first < rows.length; first += 1_000) {
      await storage.usage?.record(rows.slice(first, first + 1_000));
    }
    const queries: UsageQuery[] = [
      { from: 0, to: T0 + 20_000 * HOUR, groupBy: ["model"], bucket: { sizeMs: 86_400_000, offsetMs: 0 } },
      { from: T0 + 100 * HOUR, to: T0 + 130 * HOUR, groupBy: ["session"] },
      { from: 0, to: T0 + 20_000 * HOUR, agentId: "work", groupBy: ["session", "model"] },
    ];
    for (const query of queries) {
      const actual = await storage.usage?.query(query);
      const expected = groupUsageRows(rows, query);
      const key = (group: { sessionKey?: string; model?: string; bucket?: number }) =>
        `${group.sessionKey}|${group.model}|${group.bucket}`;
      const byKey = new Map(expected.map((group) => [key(group), group]));
      expect(actual?.length).toBe(expected.length);
      for (const group of actual ?? []) {
        const reference = byKey.get(key(group));
        // Counts exactly; dollars to 9 decimals (SQLite sums floats in another order).
        for (const [field, value] of Object.entries(reference ?? {})) {
          const actualValue = group[field as keyof typeof group];
          if (field.startsWith("cost")) expect(actualValue, field).toBeCloseTo(value as number, 9);
          else expect(actualValue, field).toEqual(value);
        }
      }
    }
    await storage.close();
  });
});
