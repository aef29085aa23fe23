import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect } from "vitest";
import type { StoredSessionEntry } from "../../session-entry.js";
import type { SessionErrorCode } from "../../session-error.js";
import type { SessionStorage, SessionWrite, StoredSession } from "../storage-port.js";

export interface SessionStoreConformanceOptions {
  /** Shown in the suite's name, e.g. "sqlite". */
  name: string;
  /**
   * Opens the storage under test. Called once for the suite and again by the checks that close and reopen it: every
   * call must open the SAME data (the same file, schema or database), as a gateway restart would.
   */
  open: () => Promise<SessionStorage>;
  /** Runs once after every check: drop the schema, remove the temp dir. */
  cleanup?: () => Promise<void>;
  /** Per check (default 20 s). */
  timeoutMs?: number;
}

/** What the checks share: the suite's storage, extra instances they open, and names unique to one check. */
export interface ConformanceFixture {
  readonly timeoutMs: number;
  storage(): SessionStorage;
  /** Another instance over the same data (closed after the suite if the check did not close it). */
  reopen(): Promise<SessionStorage>;
}

export function createConformanceFixture(options: SessionStoreConformanceOptions): ConformanceFixture {
  let shared: SessionStorage | undefined;
  const opened: SessionStorage[] = [];
  const open = async () => {
    const storage = await options.open();
    opened.push(storage);
    return storage;
  };
  beforeAll(async () => {
    shared = await open();
  });
  afterAll(async () => {
    await Promise.allSettled(opened.map((storage) => storage.close()));
    await options.cleanup?.();
  });
  return {
    timeoutMs: options.timeoutMs ?? 20_000,
    storage() {
      if (!shared) throw new Error("the conformance storage is not open: open() failed in beforeAll");
      return shared;
    },
    reopen: open,
  };
}

/**
 * A namespace only one check uses: an agent id (so list filters and totals see only this check's rows), keys under
 * it, and a table name. Checks never depend on what other checks left behind.
 */
export function uniqueNamespace(): { agentId: string; key: (rest: string) => string; table: string } {
  const id = randomBytes(5).toString("hex");
  const agentId = `conf-${id}`;
  return { agentId, key: (rest) => `agent:${agentId}:${rest}`, table: `conf_${id}` };
}

export function sessionEntry(fields: Partial<StoredSessionEntry> = {}): StoredSessionEntry {
  return { sessionId: randomUUID(), updatedAt: 1_000, createdAt: 1_000, messageCount: 0, ...fields };
}

export function newSession(
  agentId: string,
  key: string,
  fields: Partial<StoredSessionEntry> = {},
): SessionWrite {
  return { key, agentId, entry: sessionEntry(fields), expectedVersion: 0 };
}

/** A write of `current` with its entry changed, expecting the version `current` was read at. */
export function nextWrite(current: StoredSession, entry: Partial<StoredSessionEntry>): SessionWrite {
  return {
    key: current.key,
    agentId: current.agentId,
    entry: { ...current.entry, ...entry },
    expectedVersion: current.version,
  };
}

/**
 * Awaits `promise` and asserts it failed with a SessionError of `code` (a driver's own error class fails this). By
 * name and code rather than instanceof, so a second copy of this package in node_modules does not fail a driver.
 */
export async function expectSessionError(
  promise: Promise<unknown>,
  code: SessionErrorCode,
): Promise<{ message: string; details?: Record<string, unknown> }> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  const { name, code: actual } = (error ?? {}) as { name?: unknown; code?: unknown };
  expect(
    name === "SessionError" && actual === code,
    `expected SessionError ${code}, got ${error === undefined ? "success" : String(error)}`,
  ).toBe(true);
  return error as { message: string; details?: Record<string, unknown> };
}

export function keysOf(sessions: readonly StoredSession[]): string[] {
  return sessions.map((session) => session.key);
}
