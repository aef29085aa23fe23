import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { SessionStorage } from "../storage-port.js";
import type { UsageGroup, UsageLedger, UsageQuery, UsageRow } from "../usage-ledger.js";
import { groupUsageRows } from "../usage-ledger-rows.js";
import { type ConformanceFixture, expectSessionError, uniqueNamespace } from "./conformance-fixture.js";

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 1, 22, 30);

/** A priced row at `price` dollars per million tokens for every kind, or an unpriced one when `price` is null. */
function usageRow(agentId: string, fields: Partial<UsageRow> & { price?: number | null } = {}): UsageRow {
  const { price = 2, ...rest } = fields;
  const base = {
    ts: T0,
    runId: randomUUID(),
    sessionKey: `agent:${agentId}:main`,
    sessionId: randomUUID(),
    agentId,
    channel: "telegram",
    provider: "openai",
    model: "gpt-4o-mini",
    calls: 1,
    input: 1_000,
    output: 200,
    cacheRead: 50,
    cacheWrite: 10,
    durationMs: 800,
    toolCalls: 0,
    errors: 0,
    ...rest,
  };
  const cost = (tokens: number) => (price === null ? null : (tokens * price) / 1e6);
  const costs = [cost(base.input), cost(base.output), cost(base.cacheRead), cost(base.cacheWrite)];
  const total = price === null ? null : costs.reduce<number>((sum, c) => sum + (c ?? 0), 0);
  return {
    costInput: costs[0] ?? null,
    costOutput: costs[1] ?? null,
    costCacheRead: costs[2] ?? null,
    costCacheWrite: costs[3] ?? null,
    costTotal: total,
    ...base,
  };
}

function groupId(group: UsageGroup): string {
  return JSON.stringify([
    group.sessionKey,
    group.agentId,
    group.channel,
    group.provider,
    group.model,
    group.bucket,
  ]);
}

/** Asserts the driver's groups equal the reference's: counts exactly, dollars to 9 decimals (SUM order differs). */
function expectSameGroups(actual: UsageGroup[], expected: UsageGroup[]): void {
  const sort = (groups: UsageGroup[]) => [...groups].sort((a, b) => groupId(a).localeCompare(groupId(b)));
  const got = sort(actual);
  const want = sort(expected);
  expect(got.map(groupId)).toEqual(want.map(groupId));
  got.forEach((group, index) => {
    const reference = want[index] as UsageGroup;
    for (const [field, value] of Object.entries(reference)) {
      const actualValue = group[field as keyof UsageGroup];
      if (field.startsWith("cost")) expect(actualValue, field).toBeCloseTo(value as number, 9);
      else expect(actualValue, field).toEqual(value);
    }
  });
}

function ledgerOf(storage: SessionStorage): UsageLedger | undefined {
  return storage.usage;
}

/** The usage ledger: grouped sums equal to the reference, idempotent records, null prices, buckets, reopen. */
export function registerUsageLedgerChecks(fixture: ConformanceFixture): void {
  const { timeoutMs } = fixture;
  describe("usage ledger", () => {
    it(
      "groups by session, agent, channel, model and time bucket exactly as the reference does",
      async (ctx) => {
        const ledger = ledgerOf(fixture.storage());
        if (!ledger) return ctx.skip("this storage keeps no usage ledger (SessionStorage.usage is optional)");
        const { agentId } = uniqueNamespace();
        const rows = [
          usageRow(agentId),
          usageRow(agentId, { ts: T0 + 3 * 3_600_000, input: 7, output: 3, calls: 3, toolCalls: 2 }),
          usageRow(agentId, { ts: T0 + DAY, sessionKey: `agent:${agentId}:other`, channel: undefined }),
          usageRow(agentId, {
            ts: T0 + DAY,
            model: "gpt-5",
            provider: "azure",
            errors: 1,
            durationMs: undefined,
          }),
          usageRow(agentId, { ts: T0 + DAY, model: "fallback", firstOfTurn: false }),
          usageRow(agentId, { ts: T0 + 2 * DAY, model: "local", provider: "ollama", price: null }),
          usageRow(agentId, { ts: T0 + 2 * DAY, price: 0 }),
        ];
        await ledger.record(rows);
        const queries: UsageQuery[] = [
          { from: 0, to: T0 + 10 * DAY, agentId, groupBy: [] },
          { from: 0, to: T0 + 10 * DAY, agentId, groupBy: ["session"] },
          { from: 0, to: T0 + 10 * DAY, agentId, groupBy: ["agent", "channel"] },
          { from: 0, to: T0 + 10 * DAY, agentId, groupBy: ["model"], bucket: { sizeMs: DAY, offsetMs: 0 } },
          {
            from: T0,
            to: T0 + DAY,
            agentId,
            groupBy: ["session", "model"],
            bucket: { sizeMs: 900_000, offsetMs: 0 },
          },
          {
            from: 0,
            to: T0 + 10 * DAY,
            agentId,
            groupBy: ["model"],
            bucket: { sizeMs: DAY, offsetMs: 2 * 3_600_000 },
          },
          { from: 0, to: T0 + 10 * DAY, sessionKeys: [`agent:${agentId}:other`], groupBy: ["session"] },
          { from: 0, to: T0 + 10 * DAY, agentId, sessionKeys: [], groupBy: ["session"] },
        ];
        for (const query of queries) {
          expectSameGroups(await ledger.query(query), groupUsageRows(rows, query));
        }
      },
      timeoutMs,
    );

    it(
      "keeps no price (null) apart from a price of 0, and counts the unpriced rows",
      async (ctx) => {
        const ledger = ledgerOf(fixture.storage());
        if (!ledger) return ctx.skip("this storage keeps no usage ledger");
        const { agentId } = uniqueNamespace();
        await ledger.record([
          usageRow(agentId, { price: null, model: "unpriced" }),
          usageRow(agentId, { price: 0, model: "free" }),
          usageRow(agentId, {
            price: 1,
            model: "priced",
            input: 1_000_000,
            output: 0,
            cacheRead: 0,
            cacheWrite: 0,
          }),
        ]);
        const groups = await ledger.query({ from: 0, to: T0 + DAY, agentId, groupBy: ["model"] });
        const byModel = new Map(groups.map((group) => [group.model, group]));
        expect(byModel.get("unpriced")).toMatchObject({ unpriced: 1, costTotal: 0, input: 1_000 });
        expect(byModel.get("free")).toMatchObject({ unpriced: 0, costTotal: 0 });
        expect(byModel.get("priced")?.costTotal).toBeCloseTo(1, 12);
        expect(byModel.get("priced")?.costInput).toBeCloseTo(1, 12);
      },
      timeoutMs,
    );

    it(
      "records a turn once: the same (runId, provider, model) recorded again is ignored",
      async (ctx) => {
        const ledger = ledgerOf(fixture.storage());
        if (!ledger) return ctx.skip("this storage keeps no usage ledger");
        const { agentId } = uniqueNamespace();
        const row = usageRow(agentId);
        await ledger.record([row]);
        await ledger.record([row, { ...row, input: 99 }]);
        await ledger.record([{ ...row, model: "second-model", firstOfTurn: false }]);
        const [total] = await ledger.query({ from: 0, to: T0 + DAY, agentId, groupBy: [] });
        expect(total).toMatchObject({ rows: 2, turns: 1, input: 2 * row.input });
      },
      timeoutMs,
    );

    it(
      "filters by inclusive range, agent and session keys; an empty range answers no groups",
      async (ctx) => {
        const ledger = ledgerOf(fixture.storage());
        if (!ledger) return ctx.skip("this storage keeps no usage ledger");
        const { agentId } = uniqueNamespace();
        const other = uniqueNamespace().agentId;
        await ledger.record([
          usageRow(agentId, { ts: T0 }),
          usageRow(agentId, { ts: T0 + 1_000 }),
          usageRow(other, { ts: T0 }),
        ]);
        const [inRange] = await ledger.query({ from: T0, to: T0 + 1_000, agentId, groupBy: [] });
        expect(inRange).toMatchObject({ rows: 2, firstTs: T0, lastTs: T0 + 1_000 });
        const [first] = await ledger.query({ from: T0, to: T0 + 999, agentId, groupBy: [] });
        expect(first?.rows).toBe(1);
        expect(await ledger.query({ from: T0 + 1_001, to: T0 + DAY, agentId, groupBy: [] })).toEqual([]);
        const sessions = await ledger.query({
          from: 0,
          to: T0 + DAY,
          sessionKeys: [`agent:${other}:main`],
          groupBy: ["agent"],
        });
        expect(sessions.map((group) => [group.agentId, group.rows])).toEqual([[other, 1]]);
      },
      timeoutMs,
    );

    it(
      "refuses malformed rows and queries with INVALID_STORAGE_REQUEST, storing nothing of the batch",
      async (ctx) => {
        const ledger = ledgerOf(fixture.storage());
        if (!ledger) return ctx.skip("this storage keeps no usage ledger");
        const { agentId } = uniqueNamespace();
        const good = usageRow(agentId);
        const bad: UsageRow[] = [
          { ...good, input: -1 },
          { ...good, output: 1.5 },
          { ...good, model: "m".repeat(257) },
          { ...good, sessionKey: "" },
          { ...good, costTotal: Number.NaN },
          { ...good, costInput: null },
        ];
        for (const row of bad)
          await expectSessionError(ledger.record([good, row]), "INVALID_STORAGE_REQUEST");
        expect(await ledger.query({ from: 0, to: T0 + DAY, agentId, groupBy: [] })).toEqual([]);
        await expectSessionError(
          ledger.query({ from: 0, to: 1, groupBy: ["bogus" as "agent"] }),
          "INVALID_STORAGE_REQUEST",
        );
        await expectSessionError(
          ledger.query({ from: 0, to: 1, groupBy: [], bucket: { sizeMs: 10, offsetMs: 0 } }),
          "INVALID_STORAGE_REQUEST",
        );
      },
      timeoutMs,
    );

    it(
      "keeps recorded rows across close and reopen",
      async (ctx) => {
        const storage = await fixture.reopen();
        const ledger = ledgerOf(storage);
        if (!ledger) return ctx.skip("this storage keeps no usage ledger");
        const { agentId } = uniqueNamespace();
        await ledger.record([usageRow(agentId), usageRow(agentId, { price: null })]);
        await storage.close();
        const reopened = await fixture.reopen();
        const [total] = (await reopened.usage?.query({ from: 0, to: T0 + DAY, agentId, groupBy: [] })) ?? [];
        expect(total).toMatchObject({ rows: 2, unpriced: 1 });
        await reopened.close();
      },
      timeoutMs,
    );
  });
}
