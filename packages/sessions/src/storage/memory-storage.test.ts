import { expect, it } from "vitest";
import { sessionStoreConformance } from "../testing.js";
import { createMemoryStorage, createMemoryStorageData } from "./memory-storage.js";

let data = createMemoryStorageData();

sessionStoreConformance({
  name: "memory",
  open: async () => createMemoryStorage({ data }),
  cleanup: async () => {
    data = createMemoryStorageData();
  },
});

it("gives each storage its own data unless data is shared", async () => {
  const a = createMemoryStorage();
  const b = createMemoryStorage();
  await a.table("t").put("k", 1);
  expect(await b.table("t").get("k")).toBeUndefined();
  expect(a.driver).toBe("memory");
});
