import { clusterConformance } from "@openclaw/sessions/testing";
import { testSchemaName } from "../test-database.js";
import { testCluster } from "./cluster-test-support.js";

const cluster = testCluster(testSchemaName("cluster_conf"));

clusterConformance({
  name: "postgres",
  open: async () => {
    const [a, b, c] = await Promise.all([cluster.open(0), cluster.open(1), cluster.open(2)]);
    return {
      a,
      b,
      c,
      expireLease: cluster.expireLease,
      close: async () => {
        await Promise.all([a.close(), b.close(), c.close()]);
      },
    };
  },
  cleanup: cluster.cleanup,
});
