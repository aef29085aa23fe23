import { sessionStoreConformance } from "@openclaw/sessions/testing";
import { createPostgresStorage } from "./create-postgres-storage.js";
import { dropSchemas, TEST_DATABASE_URL, testSchemaName } from "./test-database.js";

const schema = testSchemaName("conformance");

sessionStoreConformance({
  name: "postgres",
  open: () => createPostgresStorage({ url: TEST_DATABASE_URL, schema, pool: { max: 4 } }),
  cleanup: () => dropSchemas(schema),
});
