import { existsSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { describe, expect, it } from "vitest";
import { controlUiAssetsDir } from "./index.js";

describe("controlUiAssetsDir", () => {
  it("is the absolute path of the built UI, which holds index.html", () => {
    const dir = controlUiAssetsDir();
    expect(isAbsolute(dir)).toBe(true);
    expect(dir.replaceAll("\\", "/")).toMatch(/\/control-ui\/dist\/ui$/);
    expect(existsSync(join(dir, "index.html"))).toBe(true);
  });
});
