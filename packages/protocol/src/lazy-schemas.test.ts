import { describe, expect, it } from "vitest";
import { lazySchemas } from "./lazy-schemas.js";
import { CronAddParamsSchema } from "./methods/cron.js";

describe("lazySchemas", () => {
  it("builds once, on first use", () => {
    let builds = 0;
    const schemas = lazySchemas(() => {
      builds += 1;
      return { value: builds };
    });
    expect(builds).toBe(0);
    expect(schemas().value).toBe(1);
    expect(schemas().value).toBe(1);
    expect(builds).toBe(1);
  });

  it("leaves the exported schemas fully usable", () => {
    const parsed = CronAddParamsSchema.safeParse({
      name: "daily",
      schedule: { kind: "every", everyMs: 60_000 },
      sessionTarget: "isolated",
      wakeMode: "now",
      payload: { kind: "agentTurn", message: "hi" },
    });
    expect(parsed.success).toBe(true);
    expect(CronAddParamsSchema.safeParse({ name: "" }).success).toBe(false);
  });
});
