import type { SessionStore } from "@openclaw/sessions";
import type { DiagnosticBus } from "./diagnostic-events.js";

/**
 * Wraps a session store so each call is reported as a `storage.op` event (the member's name and how long it took).
 * The composition root installs it only when an exporter is configured, so a gateway without one pays nothing; the
 * wrappers are made once per member, and a call made while nobody listens costs one `wants` check.
 */
export function timeSessionStore(store: SessionStore, bus: DiagnosticBus): SessionStore {
  const wrappers = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== "function") return value;
      let wrapper = wrappers.get(property);
      if (wrapper === undefined) {
        wrapper = timed(value as (...args: unknown[]) => unknown, target, String(property), bus);
        wrappers.set(property, wrapper);
      }
      return wrapper;
    },
  });
}

function timed(
  method: (...args: unknown[]) => unknown,
  target: SessionStore,
  op: string,
  bus: DiagnosticBus,
): (...args: unknown[]) => unknown {
  const report = (startedAt: number, ok: boolean) =>
    bus.emit({ type: "storage.op", op, startedAt, endedAt: Date.now(), ok });
  return (...args: unknown[]) => {
    if (!bus.wants("storage.op")) return method.apply(target, args);
    const startedAt = Date.now();
    let result: unknown;
    try {
      result = method.apply(target, args);
    } catch (error) {
      report(startedAt, false);
      throw error;
    }
    if (result instanceof Promise) {
      return result.then(
        (value) => {
          report(startedAt, true);
          return value;
        },
        (error: unknown) => {
          report(startedAt, false);
          throw error;
        },
      );
    }
    report(startedAt, true);
    return result;
  };
}
