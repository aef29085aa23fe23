import type { SessionStore } from "../../session-store.js";
import { createSessionStore } from "../session-store-over-port.js";
import type { SessionStorage } from "../storage-port.js";
import { uniqueNamespace } from "./conformance-fixture.js";

export interface StoreUnderTest {
  store: SessionStore;
  /** The default agent of this store: `main` and free-form keys belong to it, and to no other check. */
  agentId: string;
  key: (rest: string) => string;
  clock: { now: number };
}

/** A SessionStore over `storage` with its own default agent and a clock the check moves by hand. */
export function storeOver(storage: SessionStorage, agentId = uniqueNamespace().agentId): StoreUnderTest {
  const clock = { now: Date.UTC(2026, 0, 2, 3, 4, 5) };
  const store = createSessionStore(storage, {
    clock: () => clock.now,
    defaultAgentId: agentId,
    logger: { warn() {} },
  });
  return { store, agentId, key: (rest) => `agent:${agentId}:${rest}`, clock };
}
