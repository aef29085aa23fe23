#!/usr/bin/env node
// Checks that every public workspace package is correct to publish: publint (package.json against the packed files)
// and Are the Types Wrong (the types a consumer resolves, for an ESM-only package). Each package is packed once with
// pnpm, exactly as `changeset publish` would pack it (workspace: versions replaced), and both tools read that tarball.
// Run after a build: `node scripts/check-packages.mjs [package-name...]`. Exits 1 on any error-level problem.
import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { publint } from "publint";
import { formatMessage } from "publint/utils";

const root = fileURLToPath(new URL("..", import.meta.url));
const attwBin = join(root, "node_modules", ".bin", "attw");

/** The pnpm that runs this script (`pnpm lint`), else the one the README names. */
function pnpm(args, options = {}) {
  // biome-ignore lint/suspicious/noUndeclaredEnvVars: set by the package manager running this script, not by turbo
  const execPath = process.env.npm_execpath;
  const [command, prefix] =
    execPath && /pnpm/.test(execPath) ? [process.execPath, [execPath]] : ["npx", ["-y", "pnpm@10"]];
  return execFileSync(command, [...prefix, ...args], { encoding: "utf8", ...options });
}

function workspacePackages() {
  const all = JSON.parse(pnpm(["ls", "-r", "--json", "--depth", "-1"], { cwd: root }));
  return all
    .filter((entry) => entry.path !== root.replace(/\/$/, ""))
    .map((entry) => ({
      name: entry.name,
      version: entry.version,
      dir: entry.path,
      private: entry.private === true,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * What publint does not ask but a package of ours must have (STYLE.md, practice 2), and no runtime dependency on a
 * private workspace package: npm would fail to install it.
 */
function policyProblems(manifest, privateNames) {
  const problems = [];
  const require = (ok, text) => {
    if (!ok) problems.push({ level: "error", text: `policy: ${text}` });
  };
  require(typeof manifest.description === "string" &&
    manifest.description.length > 0, '"description" is missing');
  require(typeof manifest.license === "string", '"license" is missing');
  require(manifest.type === "module", '"type" must be "module"');
  require(typeof manifest.engines?.node === "string", '"engines.node" is missing (">=22.12")');
  require(Array.isArray(manifest.files), '"files" is missing (["dist"])');
  require(manifest.publishConfig?.access === "public", '"publishConfig.access" must be "public"');
  require(manifest.sideEffects !==
    undefined, '"sideEffects" is missing (false, or the files that have them)');
  require(manifest.exports !== undefined, '"exports" is missing');
  for (const field of ["dependencies", "peerDependencies", "optionalDependencies"]) {
    for (const name of Object.keys(manifest[field] ?? {})) {
      require(!privateNames.has(name), `${field} names ${name}, which is private: make it a devDependency`);
    }
  }
  return problems;
}

/** Files the package's `exports`/`bin` point at that are not there: the package was not built. */
function missingBuildOutput(dir) {
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const targets = [];
  const collect = (value) => {
    if (typeof value === "string") targets.push(value);
    else if (value && typeof value === "object") for (const inner of Object.values(value)) collect(inner);
  };
  collect(manifest.exports);
  collect(manifest.bin);
  return targets.filter((target) => !target.includes("*") && !existsSync(join(dir, target)));
}

/** `pnpm pack` names a tarball after the package: `@openclaw/gateway` 0.1.0 -> `openclaw-gateway-0.1.0.tgz`. */
function tarballName(entry) {
  return `${entry.name.replace(/^@/, "").replace("/", "-")}-${entry.version}.tgz`;
}

/**
 * Packs every package with one `pnpm -r pack` (one pnpm start instead of one each); when that fails, packs them one
 * by one so the package pnpm refuses gets pnpm's reason. Returns each package's tarball or its pack error.
 */
function packAll(entries, destination) {
  const filters = entries.flatMap((entry) => ["--filter", entry.name]);
  try {
    pnpm(["-r", ...filters, "pack", "--pack-destination", destination], { cwd: root, stdio: "pipe" });
    return new Map(entries.map((entry) => [entry.name, { tarball: join(destination, tarballName(entry)) }]));
  } catch {
    return new Map(
      entries.map((entry) => {
        try {
          pnpm(["pack", "--pack-destination", destination], { cwd: entry.dir, stdio: "pipe" });
          return [entry.name, { tarball: join(destination, tarballName(entry)) }];
        } catch (error) {
          const said = `${error.stdout ?? ""}${error.stderr ?? ""}`.trim().split("\n")[0] || error.message;
          return [entry.name, { error: `pnpm pack failed: ${said}` }];
        }
      }),
    );
  }
}

async function runPublint(tarball) {
  const bytes = readFileSync(tarball);
  const { messages, pkg } = await publint({
    pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) },
    level: "suggestion",
  });
  return messages.map((message) => ({
    level: message.type,
    text: `publint: ${formatMessage(message, pkg, { color: false }) ?? message.code}`,
  }));
}

async function runAttw(tarball) {
  // esm-only: these packages ship ESM only on purpose, so CommonJS `require` resolution is not a problem to report.
  const result = await new Promise((resolve) => {
    const args = [tarball, "--profile", "esm-only", "--format", "json"];
    // The JSON report carries TypeScript's resolution traces: several MB for a package with many entry points.
    execFile(attwBin, args, { maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ status: error ? (error.code ?? 1) : 0, stdout, stderr }),
    );
  });
  let report;
  try {
    report = JSON.parse(result.stdout);
  } catch {
    return [
      { level: "error", text: `attw: failed (${(result.stderr || result.stdout).trim().split("\n")[0]})` },
    ];
  }
  // `problems` groups by kind; the esm-only profile ignores the CommonJS resolutions, and so does attw's exit code.
  const problems = Object.values(report.problems ?? {})
    .flat()
    .filter((problem) => !["node10", "node16-cjs"].includes(problem.resolutionKind))
    .map((problem) => ({
      level: "error",
      text: `attw: ${problem.kind}${problem.entrypoint ? ` at "${problem.entrypoint}"` : ""}${problem.resolutionKind ? ` (${problem.resolutionKind})` : ""}`,
    }));
  if (result.status !== 0 && problems.length === 0) {
    problems.push({ level: "error", text: `attw: exited with ${result.status}` });
  }
  return problems;
}

const workspace = workspacePackages();
const privateNames = new Set(workspace.filter((entry) => entry.private).map((entry) => entry.name));
// `node scripts/check-packages.mjs [name...]` checks only the named packages.
const only = process.argv.slice(2);
const packages = workspace.filter(
  (entry) => !entry.private && (only.length === 0 || only.includes(entry.name)),
);
if (packages.length === 0) {
  console.error(`no public workspace package is named ${only.join(", ")}`);
  process.exit(1);
}
const unbuilt = packages
  .map((entry) => ({ ...entry, missing: missingBuildOutput(entry.dir) }))
  .filter((entry) => entry.missing.length > 0);
if (unbuilt.length > 0) {
  for (const entry of unbuilt) {
    console.error(`${entry.name}: not built (missing ${entry.missing.join(", ")})`);
  }
  console.error("Build first: run `npx -y pnpm@10 build`, then `node scripts/check-packages.mjs` again.");
  process.exit(1);
}

/** Runs `check` over `items`, `limit` at a time (attw loads TypeScript: two at once fill two cores). */
async function mapLimited(items, limit, check) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await check(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

const destination = mkdtempSync(join(tmpdir(), "openclaw-check-packages-"));
let failed = false;
try {
  const packed = packAll(packages, destination);
  const reports = await mapLimited(packages, 2, async (entry) => {
    const manifest = JSON.parse(readFileSync(join(entry.dir, "package.json"), "utf8"));
    const problems = policyProblems(manifest, privateNames);
    const { tarball, error } = packed.get(entry.name) ?? { error: "pnpm pack wrote no tarball" };
    if (error !== undefined) problems.push({ level: "error", text: error });
    else problems.push(...(await runPublint(tarball)), ...(await runAttw(tarball)));
    return { entry, problems };
  });
  for (const { entry, problems } of reports) {
    const errors = problems.filter((problem) => problem.level === "error");
    if (errors.length > 0) failed = true;
    const where = relative(root, entry.dir);
    if (problems.length === 0) {
      console.log(`ok    ${entry.name} (${where})`);
      continue;
    }
    console.log(`${errors.length > 0 ? "FAIL" : "note"}  ${entry.name} (${where})`);
    for (const problem of problems) console.log(`      ${problem.level}: ${problem.text}`);
  }
} finally {
  rmSync(destination, { recursive: true, force: true });
}
if (failed) {
  console.error("Some packages are not correct to publish: fix the package.json fields named above.");
  process.exit(1);
}
