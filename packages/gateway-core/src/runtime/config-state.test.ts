import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { resolveConfigPaths } from "../config/config-paths.js";
import { createLogger } from "../logging/logger.js";
import { GatewayConfigState } from "./config-state.js";

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function openState(text: string): Promise<GatewayConfigState> {
  const stateDir = await mkdtemp(join(tmpdir(), "config-state-"));
  dirs.push(stateDir);
  const paths = resolveConfigPaths({ stateDir, env: {} });
  await writeFile(paths.configPath, text, "utf8");
  return GatewayConfigState.open(paths, createLogger({ level: "silent", sinks: [] }));
}

describe("GatewayConfigState.refresh", () => {
  it("concurrent callers after an edit all see the file as it now is, not the state before it", async () => {
    const state = await openState('{ "gateway": { "port": 18789 } }\n');
    await writeFile(state.paths.configPath, '{ "gateway": { "port": "not-a-port" } }\n', "utf8");
    // Before refreshes ran one at a time, the second caller saw the new fingerprint while the first was still
    // reading the file and answered at once with the old state: no rejected file at all.
    const results = await Promise.all([state.refresh(), state.refresh(), state.refresh()]);
    for (const loaded of results) expect(loaded.config.gateway.port).toBe(18789);
    expect(state.rejectedFile?.issues.map((issue) => issue.path)).toContain("gateway.port");

    await writeFile(state.paths.configPath, '{ "gateway": { "port": 18800 } }\n', "utf8");
    const fixed = await Promise.all([state.refresh(), state.refresh()]);
    expect(fixed.map((loaded) => loaded.config.gateway.port)).toEqual([18800, 18800]);
    expect(state.rejectedFile).toBeUndefined();
  });
});

describe("GatewayConfigState config-key warnings", () => {
  it("logs one line per key it does not act on at start, and a key an edit adds once", async () => {
    const stateDir = await mkdtemp(join(tmpdir(), "config-state-"));
    dirs.push(stateDir);
    const paths = resolveConfigPaths({ stateDir, env: {} });
    await writeFile(paths.configPath, '{ agents: { defaults: { reasoningDefault: "on" } }, tts: {} }');
    const records: { level: string; msg: string; key?: unknown; kind?: unknown }[] = [];
    const logger = createLogger({ level: "info", sinks: [(record) => records.push(record)] });
    const state = await GatewayConfigState.open(paths, logger);
    expect(records.map(({ level, key, kind }) => [level, key, kind])).toEqual([
      ["warn", "agents.defaults.reasoningDefault", "unsupported"],
      ["warn", "tts", "unsupported"],
    ]);
    expect(records[0]?.msg).toBe(
      "`agents.defaults.reasoningDefault` is not supported by this gateway: the model's reasoning is never shown in replies",
    );

    records.length = 0;
    await writeFile(
      paths.configPath,
      '{ agents: { defaults: { reasoningDefault: "off" } }, tts: {}, talk: {}, gatway: {} }',
    );
    await state.refresh();
    expect(records.map(({ key, kind }) => [key, kind])).toEqual([
      ["talk", "unsupported"],
      ["gatway", "unknown"],
    ]);
  });
});
