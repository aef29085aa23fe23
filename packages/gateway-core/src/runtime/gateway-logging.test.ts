import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { LogRecord } from "../logging/logger.js";
import { openGatewayLogging } from "./gateway-logging.js";

const trace = { traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7" };

describe("openGatewayLogging", () => {
  it("added sinks get traced records until removed", async () => {
    const stateDir = await mkdtemp(join(tmpdir(), "oc-runlog-"));
    const logging = openGatewayLogging({ stateDir, logging: {} as never });
    try {
      const seen: LogRecord[] = [];
      const remove = logging.addSink((record) => seen.push(record));
      logging.runTraces.set("run-9", trace);
      logging.logger.info("run line", { runId: "run-9", apiKey: "sk-secret" });
      remove();
      logging.logger.info("after removal");
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatchObject({ ...trace, apiKey: "[redacted]" });
    } finally {
      await logging.close();
      await rm(stateDir, { recursive: true, force: true });
    }
  });
});
