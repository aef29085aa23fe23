import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, open, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureOpenClawRelease, type OpenClawRelease } from "@openclaw/testing";
import JSON5 from "json5";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { OpenClawConfigSchema } from "./config-schema.js";
import { findUnmodelledKeyReports, schemaAtPath, unwrapSchema } from "./config-schema-walk.js";
import { checkConfigDocument } from "./parse-config-text.js";
import { isPlainObject } from "./plain-object.js";
import { findUnsupportedKey, readElsewhere } from "./unsupported-keys.js";

// OpenClaw's own documentation and schema are the oracle: every key they name must be honoured (modelled by our
// schema or read by code that says so) or reported at start. Plugin `config` objects belong to their plugins; a
// channel's keys are checked against what the gateway and the first-party adapters read (examples only: OpenClaw's
// schema lists every channel plugin it ships, most of which this gateway does not have).

const found = await ensureOpenClawRelease();
if (!found.ok) console.warn(`skipping the OpenClaw reference-key tests: ${found.reason}`);
const release = found.ok ? found.release : undefined;

const EXAMPLE_DOCS = ["gateway/configuration-examples.md", "concepts/multi-agent.md"];
const FENCE = /^\s*```(json5|json|js|jsonc)\b[^\n]*\n([\s\S]*?)^\s*```/gm;

/** Every fenced JSON/JSON5 block of a doc that parses as an object, with its line for the failure message. */
function configExamples(
  markdown: string,
  file: string,
): { where: string; document: Record<string, unknown> }[] {
  const examples: { where: string; document: Record<string, unknown> }[] = [];
  for (const match of markdown.matchAll(FENCE)) {
    const line = markdown.slice(0, match.index).split("\n").length;
    let parsed: unknown;
    try {
      parsed = JSON5.parse(match[2] ?? "");
    } catch {
      continue;
    }
    if (isPlainObject(parsed)) examples.push({ where: `${file}:${line}`, document: parsed });
  }
  return examples;
}

function keyPaths(value: unknown, path: string[] = []): string[][] {
  if (Array.isArray(value)) return value.flatMap((item, index) => keyPaths(item, [...path, `${index}`]));
  if (!isPlainObject(value)) return [];
  return Object.entries(value).flatMap(([key, item]) => [[...path, key], ...keyPaths(item, [...path, key])]);
}

/**
 * Channel keys of the examples that the gateway's access policy, reply delivery or a first-party adapter reads
 * (channels/access-policy*.ts, reply-prefix.ts, ack-reaction.ts, each channel's *-config.ts), relative to
 * `channels.<id>` or `channels.<id>.accounts.<account>`; `*` is any key (a group, guild or room id).
 */
const CHANNEL_KEYS_READ = new Set([
  "enabled",
  "accounts",
  "allowFrom",
  "dmPolicy",
  "groupPolicy",
  "groupAllowFrom",
  "groups",
  "groups.*",
  "groups.*.requireMention",
  "requireMention",
  "responsePrefix",
  "botToken",
  "appToken",
  "token",
  "channels",
  "channels.*",
  "channels.*.enabled",
  "channels.*.requireMention",
  "guilds",
  "guilds.*",
  "guilds.*.requireMention",
  "guilds.*.channels",
  "guilds.*.channels.*",
  "guilds.*.channels.*.enabled",
  "guilds.*.channels.*.requireMention",
]);

/** Whether a channel key is read (honoured) or catalogued (reported); `path` starts at `channels`. */
function channelKeyAccountedFor(path: readonly string[]): boolean {
  if (readElsewhere(path) === "honoured" || findUnsupportedKey(path) !== undefined) return true;
  const relative = path[3] === undefined || path[2] !== "accounts" ? path.slice(2) : path.slice(4);
  if (relative.length === 0) return true;
  const pattern = relative.map((segment, index) => (index > 0 && /^[#\d]/.test(segment) ? "*" : segment));
  const generic = relative.map((segment, index) => (index % 2 === 1 ? "*" : segment)).join(".");
  return CHANNEL_KEYS_READ.has(pattern.join(".")) || CHANNEL_KEYS_READ.has(generic);
}

function ownedByPlugin(path: readonly string[]): boolean {
  return path[0] === "plugins" && path[1] === "entries" && path[3] === "config";
}

function honoured(path: readonly string[]): boolean {
  // Code outside the schema reads some keys below this one; those keys get their own verdict.
  if (readElsewhere(path) === "partly") return true;
  for (let length = 1; length <= path.length; length++) {
    if (readElsewhere(path.slice(0, length)) === "honoured") return true;
  }
  return schemaAtPath(OpenClawConfigSchema, path) !== undefined;
}

/** Keys of one example neither honoured nor reported (by the key itself or an ancestor). */
function silentKeys(document: Record<string, unknown>): string[] {
  const reported = new Set(
    findUnmodelledKeyReports(document, OpenClawConfigSchema).map((report) => report.path),
  );
  return keyPaths(document)
    .filter((path) => !ownedByPlugin(path))
    .filter((path) =>
      path[0] === "channels" && path.length > 2 ? !channelKeyAccountedFor(path) : !honoured(path),
    )
    .filter((path) => !path.some((_, index) => reported.has(path.slice(0, index + 1).join("."))))
    .map((path) => path.join("."));
}

describe.skipIf(!release)(`OpenClaw ${release?.version ?? ""} documentation examples`, () => {
  it("every key of every JSON/JSON5 example is honoured or reported, and every example loads", async () => {
    const { docsDir } = release as OpenClawRelease;
    const examples = (
      await Promise.all(
        EXAMPLE_DOCS.map(async (file) => configExamples(await readFile(join(docsDir, file), "utf8"), file)),
      )
    ).flat();
    expect(examples.length).toBeGreaterThan(15);
    const silent: string[] = [];
    for (const { where, document } of examples) {
      expect(() => checkConfigDocument(document, where), where).not.toThrow();
      silent.push(...silentKeys(document).map((path) => `${where}: ${path}`));
    }
    expect(silent).toEqual([]);
  });
});

/**
 * OpenClaw's live config schema, as `openclaw config schema` prints it (run in a throwaway home). Its stdout goes
 * to a file: through a pipe, the CLI exits before the 2 MB document is flushed.
 */
async function openClawConfigSchema(bin: string): Promise<unknown> {
  const home = await mkdtemp(join(tmpdir(), "openclaw-schema-"));
  try {
    // A clean environment: under vitest (VITEST, NODE_ENV=test) the CLI prints nothing.
    const env = { PATH: process.env.PATH ?? "", HOME: home, OPENCLAW_STATE_DIR: join(home, ".openclaw") };
    const output = join(home, "schema.json");
    const file = await open(output, "w");
    try {
      const child = spawn(process.execPath, [bin, "config", "schema"], {
        env,
        stdio: ["ignore", file.fd, "ignore"],
        timeout: 60_000,
      });
      const [code] = (await once(child, "exit")) as [number | null];
      if (code !== 0) throw new Error(`openclaw config schema exited with ${code}`);
    } finally {
      await file.close();
    }
    return JSON.parse(await readFile(output, "utf8"));
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

type JsonSchemaNode = Record<string, unknown>;

/** The keys one JSON Schema node describes, following anyOf/oneOf/allOf; `*` for a map's values, `0` for items. */
function schemaChildren(node: unknown): Map<string, unknown> {
  const children = new Map<string, unknown>();
  if (!isPlainObject(node)) return children;
  const schema = node as JsonSchemaNode;
  for (const combinator of ["anyOf", "oneOf", "allOf"]) {
    const options = schema[combinator];
    if (!Array.isArray(options)) continue;
    for (const option of options) {
      for (const [key, child] of schemaChildren(option)) if (!children.has(key)) children.set(key, child);
    }
  }
  if (isPlainObject(schema.properties)) {
    for (const [key, child] of Object.entries(schema.properties)) children.set(key, child);
  }
  if (isPlainObject(schema.additionalProperties)) children.set("*", schema.additionalProperties);
  if (isPlainObject(schema.items)) children.set("0", schema.items);
  return children;
}

/**
 * OpenClaw keys the gateway neither models nor reports: walks OpenClaw's schema alongside ours and stops where
 * ours stops (there the key must be catalogued or read elsewhere).
 */
function unaccountedKeys(node: unknown, path: string[] = []): string[] {
  const missing: string[] = [];
  for (const [key, child] of schemaChildren(node)) {
    const inner = [...path, key === "*" ? "x" : key];
    if (ownedByPlugin(inner) || (inner[0] === "channels" && inner.length > 2)) continue;
    if (readElsewhere(inner) === "honoured") continue;
    if (schemaAtPath(OpenClawConfigSchema, inner) === undefined) {
      const reported =
        inner[0] === "meta" || findUnsupportedKey(inner) !== undefined || rejectedLoudly(inner);
      if (!reported && readElsewhere(inner) !== "partly") missing.push(inner.join("."));
      if (readElsewhere(inner) === "partly") missing.push(...unaccountedBelowReadElsewhere(child, inner));
      continue;
    }
    missing.push(...unaccountedKeys(child, inner));
  }
  return missing;
}

/**
 * Whether our schema takes the value at the parent of `path` as a plain value (a string where OpenClaw also takes
 * an object, say): then a config using the key fails validation with an error naming it, which is loud.
 */
function rejectedLoudly(path: readonly string[]): boolean {
  const parent = schemaAtPath(OpenClawConfigSchema, path.slice(0, -1));
  if (parent === undefined) return false;
  const core = unwrapSchema(parent);
  return !(
    core instanceof z.ZodObject ||
    core instanceof z.ZodRecord ||
    core instanceof z.ZodUnion ||
    core instanceof z.ZodAny ||
    core instanceof z.ZodUnknown
  );
}

function unaccountedBelowReadElsewhere(node: unknown, path: string[]): string[] {
  return [...schemaChildren(node).keys()]
    .map((key) => [...path, key === "*" ? "x" : key])
    .filter((inner) => readElsewhere(inner) !== "honoured" && findUnsupportedKey(inner) === undefined)
    .map((inner) => inner.join("."));
}

describe.skipIf(!release)(`OpenClaw ${release?.version ?? ""} config schema`, () => {
  it("every key of OpenClaw's schema outside channels and plugins is honoured or catalogued as unsupported", async () => {
    const schema = await openClawConfigSchema((release as OpenClawRelease).bin);
    expect(schemaChildren(schema).size).toBeGreaterThan(30);
    expect(unaccountedKeys(schema)).toEqual([]);
  }, 90_000);
});
