import { randomBytes } from "node:crypto";
import { expect } from "vitest";
import type { ClusterCoordinator } from "../cluster-port.js";

/** Three instances of one cluster, fresh for one check. */
export interface ClusterInstances {
  a: ClusterCoordinator;
  b: ClusterCoordinator;
  c: ClusterCoordinator;
  /**
   * Makes lease `name` look expired in the store, as if its holder had stopped renewing long ago (the holder keeps
   * its timers: its next renewal must find the lease taken, or take it back if nobody did).
   */
  expireLease(name: string): Promise<void>;
  /** Closes the coordinators (those the check did not close) and whatever `open` opened for them. */
  close(): Promise<void>;
}

export interface ClusterConformanceOptions {
  /** Shown in the suite's name, e.g. "postgres". */
  name: string;
  /** Opens three coordinators with distinct instance ids over one shared store; called once per check. */
  open: () => Promise<ClusterInstances>;
  /** Runs once after every check: drop the schema. */
  cleanup?: () => Promise<void>;
  /** Per check (default 20 s). */
  timeoutMs?: number;
}

/** Names only one check uses (checks may share a store, and a lease left behind must not disturb another check). */
export function uniqueNames(): { lease: (rest: string) => string; topic: (rest: string) => string } {
  const id = randomBytes(5).toString("hex");
  return { lease: (rest) => `conf-${id}:${rest}`, topic: (rest) => `conf.${id}.${rest}` };
}

/** Polls `condition` until it holds or `timeoutMs` passes (then fails naming `what`). */
export async function eventually(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 5_000,
) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Resolves with how long `promise` took, or fails when it does not settle within `timeoutMs`. */
export async function settlesWithin<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Asserts a SessionError of `code` (by name and code, so a second copy of this package passes too). */
export function expectSessionErrorCode(error: unknown, code: string): void {
  const { name, code: actual } = (error ?? {}) as { name?: unknown; code?: unknown };
  expect(
    name === "SessionError" && actual === code,
    `expected SessionError ${code}, got ${error === undefined ? "success" : String(error)}`,
  ).toBe(true);
}

export function thrownBy(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  return undefined;
}

export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
