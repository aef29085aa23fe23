import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildIfStale, type GatewayProcess, spawnGatewayProcess } from "./robustness/gateway-process.js";

const TOKEN = "f".repeat(64);
const recorder = join(dirname(fileURLToPath(import.meta.url)), "__fixtures__", "record-module-loads.mjs");

/**
 * Packages an idle gateway must not load at start: each costs megabytes of memory and milliseconds of start-up and
 * is needed only once a tool runs, a file arrives or a channel of that platform is configured.
 */
const LOADED_ON_FIRST_USE = [
  // The tools themselves; their config schemas (`@openclaw/tools/config`) are part of config validation.
  "/packages/tools/dist/index.js",
  "/minisearch/",
  "/file-type/",
  "/unpdf/",
  "/grammy/",
  "/@slack/",
  "/discord.js/",
  "/baileys/",
  // The Prometheus exporter: only with its route enabled (diagnostics.prometheus.enabled).
  "/prom-client/",
];

let dir: string;
let gateway: GatewayProcess | undefined;

beforeAll(async () => {
  await buildIfStale();
  dir = await mkdtemp(join(tmpdir(), "openclaw-idle-footprint-"));
});

afterAll(async () => {
  await gateway?.kill();
  await rm(dir, { recursive: true, force: true });
});

describe("an idle gateway", () => {
  it("starts without loading tools, media parsers or platform libraries", async () => {
    const loadsFile = join(dir, "loads.txt");
    gateway = await spawnGatewayProcess(join(dir, "state"), TOKEN, {
      nodeArgs: ["--import", pathToFileURL(recorder).href],
      env: { OPENCLAW_TEST_LOADS_FILE: loadsFile },
    });
    const loaded = (await readFile(loadsFile, "utf8")).split("\n").filter((url) => url !== "");
    expect(loaded.some((url) => url.includes("/gateway-core/dist/"))).toBe(true);
    const early = loaded.filter((url) => LOADED_ON_FIRST_USE.some((part) => url.includes(part)));
    expect(early, "modules loaded at start that should load on first use").toEqual([]);
  });
});
