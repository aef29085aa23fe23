import { describe, expect, it } from "vitest";
import { buildConfigJsonSchema } from "./config-json-schema.js";
import { validateConfigText } from "./parse-config-text.js";

const validate = (config: unknown) => validateConfigText(JSON.stringify(config), "/tmp/openclaw.json");

describe("storage config section", () => {
  it("accepts a driver with its own options, passed through as written and not reported as unknown keys", () => {
    const result = validate({
      storage: { driver: "postgres", url: "postgres://postgres@127.0.0.1/test", schema: "gw", poolMax: 4 },
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.storage).toEqual({
      driver: "postgres",
      url: "postgres://postgres@127.0.0.1/test",
      schema: "gw",
      poolMax: 4,
    });
    expect(result.warnings.filter((warning) => warning.includes("storage"))).toEqual([]);
  });

  it("refuses a driver name that is not one, naming the key and an example", () => {
    const result = validate({ storage: { driver: "Bad Name" } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual([
      expect.objectContaining({ path: "storage.driver", message: expect.stringMatching(/"sqlite"/) }),
    ]);
  });

  it("is described in the config's JSON Schema", () => {
    const schema = JSON.stringify(buildConfigJsonSchema());
    expect(schema).toContain("Session storage");
    expect(schema).toContain('default \\"sqlite\\"');
  });
});
