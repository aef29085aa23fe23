import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createViewImageTool } from "../media/view-image-tool.js";
import { FsToolsConfigSchema } from "./fs-config.js";
import { createFsTools } from "./fs-tools.js";

const options = { workspaceFor: () => "/tmp/ws", policy: () => ({ workspaceOnly: true }) };

function jsonSchemaOf(schema: z.ZodType): { properties: Record<string, unknown>; required?: string[] } {
  return z.toJSONSchema(schema) as { properties: Record<string, unknown>; required?: string[] };
}

describe("createFsTools", () => {
  it("offers OpenClaw's file tools with OpenClaw's parameter names", () => {
    const tools = createFsTools(options);
    expect(tools.map((tool) => tool.name)).toEqual(["read", "write", "edit", "apply_patch"]);
    const shapes = Object.fromEntries(tools.map((tool) => [tool.name, jsonSchemaOf(tool.parameters)]));
    expect(Object.keys(shapes.read?.properties ?? {})).toEqual([
      "path",
      "offset",
      "limit",
      "cursor",
      "optional",
    ]);
    expect(shapes.read?.required).toEqual(["path"]);
    expect(shapes.write?.required).toEqual(["path", "content"]);
    expect(Object.keys(shapes.edit?.properties ?? {})).toEqual(["path", "edits", "oldText", "newText"]);
    expect(shapes.apply_patch?.required).toEqual(["input"]);
    const viewImage = jsonSchemaOf(createViewImageTool(options).parameters);
    expect(Object.keys(viewImage.properties)).toEqual(["prompt", "path", "paths", "maxBytesMb", "maxImages"]);
  });
});

describe("FsToolsConfigSchema", () => {
  it("confines to the workspace by default and keeps keys it does not know", () => {
    expect(FsToolsConfigSchema.parse({})).toEqual({ workspaceOnly: true });
    expect(FsToolsConfigSchema.parse({ workspaceOnly: false, future: 1 })).toEqual({
      workspaceOnly: false,
      future: 1,
    });
    expect(() => FsToolsConfigSchema.parse({ workspaceOnly: "yes" })).toThrow();
  });
});
