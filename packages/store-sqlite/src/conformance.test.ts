import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sessionStoreConformance } from "@openclaw/sessions/testing";
import { createSqliteStorage } from "./sqlite-storage.js";

const dir = await mkdtemp(join(tmpdir(), "openclaw-store-sqlite-conformance-"));

sessionStoreConformance({
  name: "sqlite",
  open: () => createSqliteStorage({ path: join(dir, "state", "gateway.sqlite") }),
  cleanup: () => rm(dir, { recursive: true, force: true }),
});
