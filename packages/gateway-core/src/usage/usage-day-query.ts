import type { UsageGroup, UsageLedger, UsageQuery } from "@openclaw/sessions";
import type { UsageRange } from "./usage-range.js";

const DAY_MS = 86_400_000;

/** A ledger group of one local calendar day. */
export type DayGroup = UsageGroup & { date: string };

/**
 * Groups of `q` per local day of the range: one query per offset segment of the range (one for UTC or a fixed
 * offset, one more per daylight-saving change of a zone), each bucketed by day in the database. A day cut by a
 * change yields a group per side, both labelled with that day: callers sum by `date`.
 */
export async function queryByDay(
  ledger: UsageLedger,
  range: UsageRange,
  q: Omit<UsageQuery, "from" | "to" | "bucket">,
): Promise<DayGroup[]> {
  const parts = await Promise.all(
    range.segments().map(async (segment) => {
      const groups = await ledger.query({
        ...q,
        from: segment.from,
        to: segment.to,
        bucket: { sizeMs: DAY_MS, offsetMs: segment.offsetMs },
      });
      return groups.map((group) => ({
        ...group,
        date: new Date((group.bucket ?? 0) * DAY_MS).toISOString().slice(0, 10),
      }));
    }),
  );
  return parts.flat();
}
