import { describe, expect, it } from "vitest";
import { useCluster } from "./cluster-harness.js";
import { schemaExists } from "./cluster-postgres.js";
import { liveGatewayChildren } from "./cluster-process.js";

// The harness itself: gateway processes on one PostgreSQL schema behind the cut-able proxy, and a teardown that
// leaves no process, schema or connection behind. Holds without any cluster feature (plain shared storage).
const e2e = useCluster({ purpose: "harness", size: 2 });

describe("cluster harness", () => {
  it("runs two gateway processes on one PostgreSQL schema, through the proxy", async () => {
    const [a, b] = e2e.cluster.instances;
    if (!a || !b) throw new Error("two instances expected");
    expect(a.instanceId).not.toBe(b.instanceId);
    expect(a.process.pid).not.toBe(b.process.pid);
    expect(e2e.cluster.proxy?.openConnections).toBeGreaterThan(0);
    await a.client.request("sessions.patch", { key: "agent:main:harness", label: "Written via A" });
    const listed = await b.client.request("sessions.list", {});
    expect(listed.sessions.map((row) => row.label)).toContain("Written via A");
  });

  it("keeps a process alive while its database connections are cut, and restarts one after kill -9", async () => {
    const [a] = e2e.cluster.instances;
    if (!a) throw new Error("instance A expected");
    await e2e.cluster.proxy?.cutFor(500);
    expect(a.running).toBe(true);
    await a.kill();
    expect(a.running).toBe(false);
    expect(await a.process.exited).toBe("SIGKILL");
    const before = a.instanceId;
    await a.restart();
    expect(a.instanceId).not.toBe(before);
    const listed = await a.client.request("sessions.list", {});
    expect(listed.sessions.map((row) => row.label)).toContain("Written via A");
  });

  it("tears down every process and drops its schema", async () => {
    const schema = e2e.cluster.schema;
    await e2e.cluster.close();
    expect(liveGatewayChildren()).toBe(0);
    expect(await schemaExists(schema)).toBe(false);
  });
});
