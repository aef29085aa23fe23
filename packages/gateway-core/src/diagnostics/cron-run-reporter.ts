import type { CronEvent } from "@openclaw/protocol";
import type { DiagnosticBus } from "./diagnostic-events.js";

/** Reports each finished cron run (from cron's own `finished` event) as a `cron.run` diagnostic event. */
export function reportCronRun(bus: DiagnosticBus, event: CronEvent): void {
  if (event.action !== "finished" || !bus.wants("cron.run")) return;
  const endedAt = Date.now();
  bus.emit({
    type: "cron.run",
    startedAt: endedAt - (event.durationMs ?? 0),
    endedAt,
    outcome: event.status === "ok" ? "ok" : event.status === "skipped" ? "skipped" : "error",
    ...(event.runId ? { runId: event.runId } : {}),
  });
}
