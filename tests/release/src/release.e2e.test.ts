import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type FakeModelServer, startFakeModelServer } from "@openclaw/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LongRunningProcess, runCommand } from "./child-process.js";
import { directoryBytes, type FootprintRow, formatFootprintTable, megabytes } from "./footprint.js";
import { fetchPackument, type LocalRegistry, startLocalRegistry } from "./local-registry.js";
import { freePort, getHealth } from "./net.js";
import {
  copyWorkspace,
  listWorkspacePackages,
  type WorkspacePackage,
  writeReleaseChangeset,
} from "./workspace-copy.js";

const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));
const CHANGESET_BIN = join(REPO_ROOT, "node_modules", ".bin", "changeset");
const TOKEN = "a".repeat(64);
/**
 * The issue's goal: the gateway installs in under 60 MB of node_modules without any channel, both as the library
 * (`npm i @openclaw/gateway`) and as the command (`npm i openclaw`, whose bundle holds the gateway).
 */
const FOOTPRINT_LIMIT_MB = 60;

let work: string;
let registry: LocalRegistry;
let pnpmDir: string;
let packages: WorkspacePackage[];
/** Folder A: `npm i @openclaw/gateway`, later also the third-party channel. */
let tutorial: { dir: string; env: NodeJS.ProcessEnv };
/** Public package name -> the version `changeset version` gave it in the copy. */
const released = new Map<string, string>();
const running = new Set<LongRunningProcess>();
let model: FakeModelServer | undefined;

const startedAt = Date.now();
/** Keeps the temp folders (installs, copy, logs) for a look after a red run; the registry still stops. */
const KEEP = process.env.OPENCLAW_RELEASE_TEST_KEEP === "1";

function log(message: string): void {
  console.log(`[release +${Math.round((Date.now() - startedAt) / 1000)}s] ${message}`);
}

/**
 * A clean environment for every child: only the temp npmrc (registry + token), a temp HOME and the given npm cache,
 * so nothing reads or writes the developer's ~/.npmrc, ~/.npm or ~/.openclaw.
 */
function childEnv(o: { home: string; cache: string; extra?: Record<string, string> }): NodeJS.ProcessEnv {
  return {
    // No node_modules/.bin of this workspace (vitest and pnpm put them on PATH): npx would run the workspace's own
    // `openclaw` instead of installing it from the registry.
    PATH: [pnpmDir, dirname(process.execPath), ...(process.env.PATH ?? "").split(":")]
      .filter((entry) => entry === pnpmDir || (entry !== "" && !entry.includes("node_modules/.bin")))
      .join(":"),
    HOME: o.home,
    TMPDIR: process.env.TMPDIR ?? tmpdir(),
    LANG: "C.UTF-8",
    npm_config_userconfig: registry.npmrcPath,
    npm_config_registry: registry.url,
    npm_config_cache: o.cache,
    npm_config_update_notifier: "false",
    npm_config_fund: "false",
    npm_config_audit: "false",
    // No spinners in the captured output of changesets and pnpm.
    CI: "true",
    GIT_AUTHOR_NAME: "release test",
    GIT_AUTHOR_EMAIL: "release-test@example.invalid",
    GIT_COMMITTER_NAME: "release test",
    GIT_COMMITTER_EMAIL: "release-test@example.invalid",
    ...o.extra,
  };
}

async function freshFolder(name: string): Promise<{ dir: string; env: NodeJS.ProcessEnv }> {
  const dir = join(work, name);
  await mkdir(join(dir, "home"), { recursive: true });
  await writeFile(join(dir, "package.json"), `${JSON.stringify({ name, private: true }, null, 2)}\n`);
  // One npm cache for the installs of this run, trusted without revalidation (nothing changes during a run).
  const env = childEnv({
    home: join(dir, "home"),
    cache: join(work, "npm-cache"),
    extra: { npm_config_prefer_offline: "true" },
  });
  return { dir, env };
}

async function npmInstall(dir: string, env: NodeJS.ProcessEnv, specs: string[]): Promise<void> {
  log(`npm i ${specs.join(" ")} (in ${dir}) …`);
  await runCommand("npm", ["install", "--no-audit", "--no-fund", ...specs], {
    cwd: dir,
    env,
    timeoutMs: 8 * 60_000,
  });
}

async function installedVersion(dir: string, name: string): Promise<string> {
  const manifest = JSON.parse(await readFile(join(dir, "node_modules", name, "package.json"), "utf8")) as {
    version: string;
  };
  return manifest.version;
}

function start(label: string, command: string, args: string[], o: { cwd: string; env: NodeJS.ProcessEnv }) {
  const child = new LongRunningProcess(label, command, args, o);
  running.add(child);
  return child;
}

async function stop(child: LongRunningProcess): Promise<number | null> {
  const code = await child.stop("SIGTERM");
  running.delete(child);
  return code;
}

/** The machine's npm registry, which Verdaccio proxies for every package that is not ours. */
async function probeUplink(): Promise<{ ok: true; url: string } | { ok: false; reason: string }> {
  const url = (
    await runCommand("npm", ["config", "get", "registry"], { cwd: REPO_ROOT, env: process.env })
  ).stdout.trim();
  try {
    const response = await fetch(new URL("zod", url), { signal: AbortSignal.timeout(20_000) });
    await response.body?.cancel();
    return response.ok
      ? { ok: true, url }
      : { ok: false, reason: `${url} answered ${response.status} for zod` };
  } catch (error) {
    return { ok: false, reason: `${url} cannot be reached (${(error as Error).message}); installs need it` };
  }
}

const uplink = await probeUplink();
if (!uplink.ok) console.warn(`skipping the release test: ${uplink.reason}`);

beforeAll(async () => {
  if (!uplink.ok) return;
  const machineRegistry = uplink.url;
  // changesets calls `pnpm` by name; the repository runs pnpm through npx, so put that pnpm on PATH.
  const pnpmPath = (
    await runCommand("npm", ["exec", "--yes", "--package=pnpm@10", "-c", "command -v pnpm"], {
      cwd: REPO_ROOT,
      env: process.env,
    })
  ).stdout.trim();
  pnpmDir = dirname(pnpmPath);
  registry = await startLocalRegistry({ uplink: machineRegistry });
  log(`Verdaccio on ${registry.url} (uplink ${machineRegistry} for everything but openclaw and @openclaw/*)`);
  work = await mkdtemp(join(tmpdir(), "openclaw-release-"));
  packages = await listWorkspacePackages(REPO_ROOT);
});

afterAll(async () => {
  for (const child of running) await child.stop("SIGKILL");
  await model?.close();
  await registry?.close();
  if (work && KEEP) log(`kept ${work} (OPENCLAW_RELEASE_TEST_KEEP=1)`);
  else if (work) await rm(work, { recursive: true, force: true });
});

describe.skipIf(!uplink.ok)("the release pipeline, end to end against a local registry", () => {
  it("changeset version + changeset publish put every public package on the registry", async () => {
    const copy = join(work, "workspace");
    const publicPackages = packages.filter((p) => !p.private);
    log(`copying the workspace (${publicPackages.length} public packages, built dist/) to ${copy} …`);
    await copyWorkspace(REPO_ROOT, copy, packages);
    await writeFile(join(copy, ".npmrc"), registry.npmrcText, { mode: 0o600 });
    await writeReleaseChangeset(copy, packages);
    const env = childEnv({ home: join(work, "home"), cache: join(work, "npm-cache") });
    await mkdir(join(work, "home"), { recursive: true });
    // A repository of its own, so `changeset publish` tags the release exactly as it would for a maintainer.
    for (const args of [
      ["init", "-q", "-b", "main"],
      ["add", "-A"],
      ["commit", "-q", "-m", "release test"],
    ]) {
      await runCommand("git", args, { cwd: copy, env });
    }
    log("changeset version …");
    await runCommand(CHANGESET_BIN, ["version"], { cwd: copy, env });
    for (const pkg of publicPackages) {
      const manifest = JSON.parse(await readFile(join(copy, pkg.dir, "package.json"), "utf8")) as {
        version: string;
      };
      expect(manifest.version, `${pkg.name} was not bumped`).not.toBe(pkg.version);
      released.set(pkg.name, manifest.version);
    }
    log(
      `publishing ${publicPackages.length} packages to ${registry.url} (changeset publish → pnpm publish) …`,
    );
    await runCommand(CHANGESET_BIN, ["publish"], { cwd: copy, env, timeoutMs: 10 * 60_000 });

    for (const [name, version] of released) {
      const packument = await fetchPackument(registry.url, name);
      expect(packument?.["dist-tags"].latest, `${name} on the registry`).toBe(version);
    }
    for (const pkg of packages.filter((p) => p.private)) {
      expect(
        await fetchPackument(registry.url, pkg.name),
        `private ${pkg.name} on the registry`,
      ).toBeUndefined();
    }
    const tags = (await runCommand("git", ["tag", "--list"], { cwd: copy, env })).stdout.split("\n");
    for (const [name, version] of released) expect(tags).toContain(`${name}@${version}`);
    // pnpm publish turned every workspace: range into a real one.
    for (const [name, version] of released) {
      const manifest = (await fetchPackument(registry.url, name))?.versions[version];
      expect(JSON.stringify(manifest), `${name}@${version} as published`).not.toContain("workspace:");
    }
    log(`published: ${[...released].map(([name, version]) => `${name}@${version}`).join(", ")}`);
  });

  it("npm i @openclaw/gateway runs the README's code example, and the install stays small", async () => {
    const a = await freshFolder("readme-tutorial");
    tutorial = a;
    await npmInstall(a.dir, a.env, ["@openclaw/gateway"]);
    expect(await installedVersion(a.dir, "@openclaw/gateway")).toBe(released.get("@openclaw/gateway"));
    const rows: FootprintRow[] = [
      { install: "@openclaw/gateway", bytes: await directoryBytes(join(a.dir, "node_modules")) },
    ];

    await copyFile(join(FIXTURES, "readme-example.mjs"), join(a.dir, "gateway.mjs"));
    const port = await freePort();
    const stateDir = join(a.dir, "state");
    log(`node gateway.mjs (the README example) on port ${port} …`);
    const gateway = start("node gateway.mjs", "node", ["gateway.mjs"], {
      cwd: a.dir,
      env: { ...a.env, GATEWAY_PORT: String(port), MY_GATEWAY_TOKEN: TOKEN, GATEWAY_STATE_DIR: stateDir },
    });
    await gateway.waitFor(/listening on ws:\/\/127\.0\.0\.1:\d+/, 60_000);
    expect((await getHealth(port, TOKEN)).status).toBe(200);
    expect((await getHealth(port, "wrong-token")).status).toBe(401);
    expect(await stop(gateway)).toBe(0);
    expect(gateway.text).toContain("closed");

    const c = await freshFolder("cli-footprint");
    await npmInstall(c.dir, c.env, ["openclaw"]);
    let bytes = await directoryBytes(join(c.dir, "node_modules"));
    rows.push({ install: "openclaw (CLI, gateway bundled)", bytes });
    const channels = [...released.keys()].filter((name) => name.startsWith("@openclaw/channel-"));
    for (const channel of channels) {
      await npmInstall(c.dir, c.env, [channel]);
      const after = await directoryBytes(join(c.dir, "node_modules"));
      rows.push({ install: `+ ${channel}`, bytes: after, addedBytes: after - bytes });
      bytes = after;
    }
    log(`installed footprint (apparent size of node_modules):\n${formatFootprintTable(rows)}`);
    expect(megabytes(rows[0]?.bytes ?? 0), "npm i @openclaw/gateway, in MB").toBeLessThan(FOOTPRINT_LIMIT_MB);
    expect(megabytes(rows[1]?.bytes ?? 0), "npm i openclaw, in MB").toBeLessThan(FOOTPRINT_LIMIT_MB);
  });

  it("npx -y openclaw gateway starts our gateway from the registry", async () => {
    const b = await freshFolder("npx-gateway");
    const port = await freePort();
    const env = {
      ...b.env,
      // A cache of its own: npx must fetch openclaw from the registry, not reuse the installs above.
      npm_config_cache: join(b.dir, "npm-cache"),
      OPENCLAW_STATE_DIR: join(b.dir, "state"),
    };
    log(`npx --registry ${registry.url} -y openclaw gateway --port ${port} …`);
    const gateway = start(
      "npx openclaw gateway",
      "npx",
      ["--registry", registry.url, "-y", "openclaw", "gateway", "--port", String(port)],
      { cwd: b.dir, env },
    );
    const [, token] = await gateway.waitFor(/Token: ([0-9a-f]{32,})\s/, 8 * 60_000);
    expect(gateway.text).toContain("OpenClaw Gateway");
    expect(gateway.text).toContain(`ws://127.0.0.1:${port}`);
    expect((await getHealth(port, token ?? "")).status).toBe(200);
    // It is the package npx just installed from the registry, not a copy found elsewhere on this machine.
    const { stdout: installed } = await runCommand(
      "find",
      [join(b.dir, "npm-cache", "_npx"), "-path", "*/node_modules/openclaw/package.json"],
      { cwd: b.dir, env },
    );
    const manifests = installed.split("\n").filter(Boolean);
    expect(manifests).toHaveLength(1);
    expect(JSON.parse(await readFile(manifests[0] ?? "", "utf8")).version).toBe(released.get("openclaw"));
    await stop(gateway);
    await expect(getHealth(port, token ?? "")).rejects.toThrow();
  });

  it("a third-party channel from a tarball (peer: @openclaw/plugin-sdk) loads and answers", async () => {
    const copy = join(work, "workspace");
    const tarballs = join(work, "tarballs");
    await mkdir(tarballs, { recursive: true });
    const env = childEnv({ home: join(work, "home"), cache: join(work, "npm-cache") });
    log("pnpm pack examples/channel-echo …");
    const packed = await runCommand("pnpm", ["pack", "--pack-destination", tarballs, "--json"], {
      cwd: join(copy, "examples", "channel-echo"),
      env,
    });
    const tarball = (JSON.parse(packed.stdout) as { filename: string }).filename;
    const packedManifest = await runCommand("tar", ["-xOzf", tarball, "package/package.json"], {
      cwd: work,
      env,
    });
    const peers = (JSON.parse(packedManifest.stdout) as { peerDependencies: Record<string, string> })
      .peerDependencies;
    const sdkVersion = released.get("@openclaw/plugin-sdk");
    expect([sdkVersion, `^${sdkVersion}`]).toContain(peers["@openclaw/plugin-sdk"]);

    const a = tutorial;
    await npmInstall(a.dir, a.env, [tarball, "@openclaw/client"]);
    await copyFile(join(FIXTURES, "echo-channel-check.mjs"), join(a.dir, "echo-channel-check.mjs"));
    model = await startFakeModelServer();
    model.setDefaultReply({ text: "echo says hi" });
    const stateDir = join(a.dir, "echo-state");
    await mkdir(stateDir, { recursive: true });
    log("node echo-channel-check.mjs (plugins.entries[@openclaw/example-channel-echo]) …");
    const { stdout } = await runCommand("node", ["echo-channel-check.mjs"], {
      cwd: a.dir,
      env: {
        ...a.env,
        GATEWAY_PORT: String(await freePort()),
        ECHO_PORT: String(await freePort()),
        MY_GATEWAY_TOKEN: TOKEN,
        GATEWAY_STATE_DIR: stateDir,
        MODEL_BASE_URL: model.baseUrlFor("openai-completions"),
      },
      timeoutMs: 2 * 60_000,
    });
    const steps = stdout
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as { step: string; echo?: { running?: boolean }; text?: string });
    expect(steps.find((s) => s.step === "channels.status")?.echo?.running).toBe(true);
    expect(steps.find((s) => s.step === "reply")?.text).toBe("echo says hi");
  });
});
