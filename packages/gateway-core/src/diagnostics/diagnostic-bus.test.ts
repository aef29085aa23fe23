import { describe, expect, it } from "vitest";
import { DiagnosticBus, type DiagnosticEvent } from "./diagnostic-events.js";

const rpc: DiagnosticEvent = { type: "rpc.request", method: "health", startedAt: 1, endedAt: 2, ok: true };
const cron: DiagnosticEvent = { type: "cron.run", startedAt: 1, endedAt: 2, outcome: "ok" };

describe("DiagnosticBus", () => {
  it("wants only the types its listeners subscribed to, and everything for a catch-all listener", () => {
    const bus = new DiagnosticBus();
    expect(bus.active).toBe(false);
    expect(bus.wants("rpc.request")).toBe(false);

    const typed: DiagnosticEvent[] = [];
    const stopTyped = bus.subscribe((event) => typed.push(event), ["cron.run"]);
    expect(bus.active).toBe(true);
    expect(bus.wants("cron.run")).toBe(true);
    expect(bus.wants("rpc.request")).toBe(false);
    bus.emit(rpc);
    bus.emit(cron);
    expect(typed).toEqual([cron]);

    const all: DiagnosticEvent[] = [];
    const stopAll = bus.subscribe((event) => all.push(event));
    expect(bus.wants("rpc.request")).toBe(true);
    bus.emit(rpc);
    expect(all).toEqual([rpc]);
    expect(typed).toEqual([cron]);

    stopAll();
    expect(bus.wants("rpc.request")).toBe(false);
    stopTyped();
    expect(bus.active).toBe(false);
    expect(bus.wants("cron.run")).toBe(false);
  });

  it("reports a throwing listener and still reaches the others", () => {
    const errors: unknown[] = [];
    const bus = new DiagnosticBus((error) => errors.push(error));
    const seen: string[] = [];
    bus.subscribe(() => {
      throw new Error("boom");
    });
    bus.subscribe((event) => seen.push(event.type));
    bus.emit(cron);
    expect(seen).toEqual(["cron.run"]);
    expect((errors[0] as Error).message).toBe("boom");
  });
});
