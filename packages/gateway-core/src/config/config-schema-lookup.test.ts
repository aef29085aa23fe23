import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ensureOpenClawRelease } from "@openclaw/testing";
import { describe, expect, it } from "vitest";
import { classifyConfigPath } from "../reload/config-reload-plan.js";
import { buildConfigJsonSchema } from "./config-json-schema.js";
import { lookupConfigSchema } from "./config-schema-lookup.js";

// OpenClaw's own lookup function is the oracle: run on our schema, it must answer what ours answers.
const found = await ensureOpenClawRelease();
if (!found.ok) console.warn(`skipping the config.schema.lookup comparison with OpenClaw: ${found.reason}`);

type OpenClawLookup = (
  response: { schema: unknown; uiHints: Record<string, unknown> },
  path: string,
  reload: (path: string) => { kind: string },
) => unknown;

/** OpenClaw's `lookupConfigSchema`, from the hashed dist chunk that defines it (it is exported under a short alias). */
async function openClawLookup(packageDir: string): Promise<OpenClawLookup> {
  const dist = join(packageDir, "dist");
  for (const file of await readdir(dist)) {
    if (!file.startsWith("schema-") || !file.endsWith(".mjs")) continue;
    const text = await readFile(join(dist, file), "utf8");
    const alias = /lookupConfigSchema as (\w+)/.exec(text)?.[1];
    if (!text.includes("function lookupConfigSchema(") || !alias) continue;
    const module = (await import(pathToFileURL(join(dist, file)).href)) as Record<string, OpenClawLookup>;
    const lookup = module[alias];
    if (lookup) return lookup;
  }
  throw new Error(`no dist chunk of ${packageDir} defines lookupConfigSchema`);
}

/**
 * zod writes a loose object's catch-all as `additionalProperties: {}`; ours reads that as "no declared children"
 * (OpenClaw's own schema has no such catch-all), which is OpenClaw's reading of `true`. Given that, both must agree.
 */
function catchAllAsTrue(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(catchAllAsTrue);
  if (node === null || typeof node !== "object") return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [
      key,
      key === "additionalProperties" &&
      value !== null &&
      typeof value === "object" &&
      Object.keys(value).length === 0
        ? true
        : catchAllAsTrue(value),
    ]),
  );
}

describe.skipIf(!found.ok)("config.schema.lookup against OpenClaw's own lookup", () => {
  it("answers every hinted path, array items, record values, the root and a missing path as OpenClaw's code does", async () => {
    if (!found.ok) return;
    const theirs = await openClawLookup(found.release.packageDir);
    const response = buildConfigJsonSchema({ now: new Date(0) });
    const forOpenClaw = { ...response, schema: catchAllAsTrue(response.schema) };
    const paths = [
      ...Object.keys(response.uiHints),
      ".",
      "agents.list[0]",
      "agents.list[*]",
      "models.providers.fake",
      "models.providers.fake.models[0]",
      "gateway.nope",
      "gateway.__proto__",
    ];
    expect(paths.length).toBeGreaterThan(100);
    for (const path of paths) {
      const ours = lookupConfigSchema(response, path, classifyConfigPath) ?? null;
      const expected = theirs(forOpenClaw, path, (each) => ({ kind: classifyConfigPath(each) })) ?? null;
      // Through JSON, as on the wire: OpenClaw leaves unset fields as undefined, ours leaves them out.
      const wire = (value: unknown) => JSON.parse(JSON.stringify(value));
      if (path === ".") {
        // OpenClaw asks its reload table about "" for the root; it is not a path, so ours answers no reload kind.
        expect({ ...wire(ours), reloadKind: undefined }, path).toEqual({
          ...wire(expected),
          reloadKind: undefined,
        });
        continue;
      }
      expect(wire(ours), path).toEqual(wire(expected));
    }
  });
});
