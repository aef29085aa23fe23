import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError } from "./config-error.js";
import { resolveConfigPaths } from "./config-paths.js";
import { loadConfig } from "./load-config.js";
import { hashConfigText } from "./parse-config-text.js";
import { writeConfigFile } from "./write-config-file.js";

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "openclaw-config-"));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("resolveConfigPaths", () => {
  it("defaults to ~/.openclaw/openclaw.json", () => {
    expect(resolveConfigPaths({ env: { HOME: "/home/me" } })).toEqual({
      stateDir: "/home/me/.openclaw",
      configPath: "/home/me/.openclaw/openclaw.json",
    });
  });

  it("puts the config inside OPENCLAW_STATE_DIR", () => {
    expect(resolveConfigPaths({ env: { HOME: "/home/me", OPENCLAW_STATE_DIR: "/srv/openclaw" } })).toEqual({
      stateDir: "/srv/openclaw",
      configPath: "/srv/openclaw/openclaw.json",
    });
  });

  it("lets OPENCLAW_CONFIG_PATH point elsewhere, expanding ~", () => {
    expect(
      resolveConfigPaths({
        env: {
          HOME: "/home/me",
          OPENCLAW_STATE_DIR: "~/.openclaw-a",
          OPENCLAW_CONFIG_PATH: "~/configs/a.json",
        },
      }),
    ).toEqual({ stateDir: "/home/me/.openclaw-a", configPath: "/home/me/configs/a.json" });
  });

  it("prefers explicit options over the environment and ignores empty variables", () => {
    const env = { HOME: "/home/me", OPENCLAW_STATE_DIR: "", OPENCLAW_CONFIG_PATH: "/etc/ignored.json" };
    expect(resolveConfigPaths({ env })).toEqual({
      stateDir: "/home/me/.openclaw",
      configPath: "/etc/ignored.json",
    });
    expect(resolveConfigPaths({ env, stateDir: "/tmp/state", configPath: "/tmp/state/x.json" })).toEqual({
      stateDir: "/tmp/state",
      configPath: "/tmp/state/x.json",
    });
  });

  it("makes relative paths absolute", () => {
    const { stateDir } = resolveConfigPaths({ env: { OPENCLAW_STATE_DIR: "rel/state" } });
    expect(stateDir).toBe(join(process.cwd(), "rel/state"));
  });
});

describe("loadConfig", () => {
  it("gives the defaults for a missing file", async () => {
    const path = join(dir, "openclaw.json");
    const loaded = await loadConfig(path);
    expect(loaded).toMatchObject({ path, exists: false, raw: "", hash: hashConfigText(""), warnings: [] });
    expect(loaded.config.gateway.port).toBe(18789);
  });

  it("reads, hashes and validates an existing file", async () => {
    const path = join(dir, "openclaw.json");
    const raw = "{ gateway: { port: 19001 }, discovery: {} }\n";
    await writeFile(path, raw);
    const loaded = await loadConfig(path);
    expect(loaded.exists).toBe(true);
    expect(loaded.raw).toBe(raw);
    expect(loaded.hash).toBe(hashConfigText(raw));
    expect(loaded.config.gateway.port).toBe(19001);
    expect(loaded.warnings).toEqual([
      "`discovery` is not supported by this gateway: no mDNS or wide-area advertisement; clients need the gateway's URL",
    ]);
  });

  it("throws CONFIG_INVALID naming the file for a bad value", async () => {
    const path = join(dir, "openclaw.json");
    await writeFile(path, '{ gateway: { bind: "moon" } }');
    const error = await loadConfig(path).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe("CONFIG_INVALID");
    expect((error as ConfigError).message).toContain(`fix it in ${path}`);
  });

  it("throws CONFIG_IO when the path is a directory", async () => {
    const error = await loadConfig(dir).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe("CONFIG_IO");
    expect((error as ConfigError).message).toContain("point OPENCLAW_CONFIG_PATH at a file");
  });
});

describe("writeConfigFile", () => {
  it("creates the directory (0700) and the file (0600), pretty-printing an object", async () => {
    const path = join(dir, "state", "openclaw.json");
    const written = await writeConfigFile(path, { gateway: { port: 19001 } });
    expect(written.raw).toBe('{\n  "gateway": {\n    "port": 19001\n  }\n}\n');
    expect(written.hash).toBe(hashConfigText(written.raw));
    expect(await readFile(path, "utf8")).toBe(written.raw);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, "state"))).mode & 0o777).toBe(0o700);
    expect((await loadConfig(path)).config.gateway.port).toBe(19001);
  });

  it("writes text exactly as given and replaces the old file without leaving temporary files", async () => {
    const path = join(dir, "openclaw.json");
    await writeFile(path, "{ old: true }", { mode: 0o644 });
    const raw = "// new\n{ gateway: { port: 1 } }";
    const written = await writeConfigFile(path, raw);
    expect(written).toEqual({ raw, hash: hashConfigText(raw) });
    expect(await readFile(path, "utf8")).toBe(raw);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(["openclaw.json"]);
  });

  it("names the fix when the directory cannot be created", async () => {
    const blocker = join(dir, "not-a-dir");
    await writeFile(blocker, "");
    const error = await writeConfigFile(join(blocker, "openclaw.json"), {}).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe("CONFIG_IO");
    expect((error as ConfigError).message).toContain(`check that ${blocker} is writable`);
  });

  it("removes its temporary file and leaves the target alone when the rename fails", async () => {
    const target = join(dir, "openclaw.json");
    await mkdir(target);
    await writeFile(join(target, "keep"), "x");
    const error = await writeConfigFile(target, { fresh: true }).catch((caught: unknown) => caught);
    expect((error as ConfigError).code).toBe("CONFIG_IO");
    expect(await readdir(dir)).toEqual(["openclaw.json"]);
    expect(await readdir(target)).toEqual(["keep"]);
  });

  it("serialises concurrent writers into one whole file", async () => {
    const path = join(dir, "openclaw.json");
    const values = Array.from({ length: 20 }, (_, index) => ({ gateway: { port: 1000 + index } }));
    await Promise.all(values.map((value) => writeConfigFile(path, value)));
    const final = JSON.parse(await readFile(path, "utf8")) as { gateway: { port: number } };
    expect(final.gateway.port).toBeGreaterThanOrEqual(1000);
    expect(await readdir(dir)).toEqual(["openclaw.json"]);
  });
});
