import { beforeAll, describe, expect, it } from "vitest";
import { runKillLoop } from "../../../../../bench/robustness-kill.mjs";
import { buildIfStale } from "./build-if-stale.js";

// CI-sized: `node bench/robustness-kill.mjs` runs the same loop with 25 kills.
const KILLS = 6;

// Both engines a gateway ships with: SQLite (the default) and PostgreSQL (the service every development and CI
// machine runs; the loop creates its own schema and drops it).
describe.each(["sqlite", "postgres"] as const)("kill -9 durability of chat.send on %s", (driver) => {
  beforeAll(buildIfStale, 120_000);

  it(`loses and duplicates no acknowledged message over ${KILLS} kills, and retries after each restart are deduped`, async () => {
    const lines: string[] = [];
    const figures = await runKillLoop({ kills: KILLS, log: (line) => lines.push(line), driver });

    const log = lines.join("\n");
    expect(figures.acked, log).toBeGreaterThanOrEqual(KILLS);
    expect(figures, log).toEqual({
      kills: KILLS,
      acked: figures.acked,
      lost: 0,
      duplicates: 0,
      retried: figures.acked,
      retriesDeduped: figures.acked,
    });
  }, 90_000);
});
