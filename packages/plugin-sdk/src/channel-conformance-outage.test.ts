import { describe, expect, it } from "vitest";
import type { ConformanceHarnessFactory } from "./channel-conformance-harness.js";
import { checkAbortWhileStarting, checkOutageSurfaces } from "./channel-conformance-outage.js";
import { memorySetup } from "./memory-channel.test-support.js";

// Budgets for each check's waits: a conforming step finishes at once, so this mostly bounds how long a check on a
// broken plugin waits before it names the flaw; 500 ms made the steps before the flaw fail on a loaded CI machine.
const options = { timeoutMs: 3_000 };

describe("outage checks", () => {
  it("pass a plugin that fails its start while the platform is down and starts once it is back", async () => {
    const { plugin, harness } = memorySetup();
    await expect(checkOutageSurfaces(plugin, harness, options, "refused")).resolves.toBeUndefined();
    await expect(checkOutageSurfaces(plugin, harness, options, "http-500")).resolves.toBeUndefined();
    await expect(checkAbortWhileStarting(plugin, harness, options)).resolves.toBeUndefined();
  });

  it("catch a start that waits quietly for the platform instead of failing", async () => {
    const { plugin, harness } = memorySetup({ retriesQuietly: true });
    await expect(checkOutageSurfaces(plugin, harness, options, "http-500")).rejects.toThrow(
      /with the platform answering 500 with an HTML page, startAccount\(\) neither rejected nor reported/,
    );
  });

  it("catch a start that ignores ctx.signal while the platform does not answer", async () => {
    const { plugin, harness } = memorySetup({ hangsThroughAbort: true });
    await expect(checkAbortWhileStarting(plugin, harness, options)).rejects.toThrow(
      /did not settle after ctx\.signal aborted/,
    );
  });

  it("are skipped, with the reason, for a harness without outage controls", async () => {
    const { plugin, harness } = memorySetup();
    const withoutOutage: ConformanceHarnessFactory = async () => ({
      ...(await harness()),
      outage: undefined,
    });
    await expect(checkOutageSurfaces(plugin, withoutOutage, options, "refused")).resolves.toMatch(
      /no outage controls/,
    );
  });
});
