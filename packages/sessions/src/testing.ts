import { describe } from "vitest";
import {
  createConformanceFixture,
  type SessionStoreConformanceOptions,
} from "./storage/conformance/conformance-fixture.js";
import { registerLifecycleChecks } from "./storage/conformance/lifecycle-checks.js";
import { registerSessionListChecks } from "./storage/conformance/session-list-checks.js";
import { registerSessionRowChecks } from "./storage/conformance/session-row-checks.js";
import { registerStoreReadChecks } from "./storage/conformance/store-read-checks.js";
import { registerStoreWriteChecks } from "./storage/conformance/store-write-checks.js";
import { registerTableChecks } from "./storage/conformance/table-checks.js";
import { registerTranscriptChecks } from "./storage/conformance/transcript-checks.js";
import { registerUsageLedgerChecks } from "./storage/conformance/usage-ledger-checks.js";

export {
  type ClusterConformanceOptions,
  type ClusterInstances,
  clusterConformance,
} from "./storage/conformance/cluster-checks.js";
export type { SessionStoreConformanceOptions } from "./storage/conformance/conformance-fixture.js";

/**
 * Registers the session storage conformance suite as vitest `describe`/`it` blocks: the port contract (rows,
 * versions, lists, transcripts, tables, the usage ledger (skipped when the storage has none), close/reopen, concurrency), then the whole SessionStore run over the storage
 * through `createSessionStore`. Call it at the top level of a test file in the storage's own package.
 *
 * `open()` must open the same data every time (it is called again to check that data survives a reopen); checks
 * write under names unique to them, and `cleanup()` runs once at the end to drop what the suite created.
 */
export function sessionStoreConformance(options: SessionStoreConformanceOptions): void {
  describe(`session storage "${options.name}" conformance`, () => {
    const fixture = createConformanceFixture(options);
    registerSessionRowChecks(fixture);
    registerSessionListChecks(fixture);
    registerTranscriptChecks(fixture);
    registerTableChecks(fixture);
    registerUsageLedgerChecks(fixture);
    registerLifecycleChecks(fixture);
    registerStoreWriteChecks(fixture);
    registerStoreReadChecks(fixture);
  });
}
