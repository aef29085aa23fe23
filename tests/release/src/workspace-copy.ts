import { execFile } from "node:child_process";
import { cp, mkdir, readFile, stat, symlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

export interface WorkspacePackage {
  name: string;
  version: string;
  /** Relative to the workspace root, e.g. `packages/cli`. */
  dir: string;
  private: boolean;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** The workspace's package folders: every tracked `package.json` below the root that pnpm-workspace.yaml covers. */
export async function listWorkspacePackages(root: string): Promise<WorkspacePackage[]> {
  const { stdout } = await execFileAsync("git", ["ls-files", "--", "*/package.json"], { cwd: root });
  const packages: WorkspacePackage[] = [];
  for (const file of stdout.split("\n").filter(Boolean)) {
    const dir = dirname(file);
    // pnpm-workspace.yaml: packages/*, apps/*, examples/*, tests/*, bench (one level, no nested fixtures).
    if (!/^(packages|apps|examples|tests)\/[^/]+$|^bench$/.test(dir)) continue;
    if (!(await exists(join(root, file)))) continue;
    const manifest = JSON.parse(await readFile(join(root, file), "utf8")) as {
      name?: string;
      version?: string;
      private?: boolean;
    };
    if (!manifest.name) continue;
    packages.push({
      name: manifest.name,
      version: manifest.version ?? "0.0.0",
      dir,
      private: manifest.private === true,
    });
  }
  return packages.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Copies what a release needs into `dest` without touching the repository: every tracked file as it is in the
 * working tree, plus each package's built `dist/` (untracked build output; a public package must have one). The root `node_modules` is linked,
 * not copied, so `changeset` and its changelog generator resolve as they do in the repository.
 */
export async function copyWorkspace(root: string, dest: string, packages: WorkspacePackage[]): Promise<void> {
  const { stdout } = await execFileAsync("git", ["ls-files", "-z"], {
    cwd: root,
    maxBuffer: 64 * 1024 * 1024,
  });
  for (const file of stdout.split("\0").filter(Boolean)) {
    const from = join(root, file);
    // A file deleted in the working tree but still in the index is simply not part of this release.
    if (!(await exists(from))) continue;
    await mkdir(dirname(join(dest, file)), { recursive: true });
    await cp(from, join(dest, file), { dereference: false });
  }
  for (const pkg of packages) {
    const dist = join(root, pkg.dir, "dist");
    if (await exists(dist)) {
      await cp(dist, join(dest, pkg.dir, "dist"), { recursive: true });
    } else if (!pkg.private) {
      throw new Error(
        `${pkg.name} has no dist/ in ${pkg.dir}: run \`npx -y pnpm@10 build\` before the release test`,
      );
    }
  }
  await symlink(join(root, "node_modules"), join(dest, "node_modules"), "dir");
  await linkWorkspaceDependencies(dest, packages);
}

const DEPENDENCY_FIELDS = [
  "dependencies",
  "devDependencies",
  "peerDependencies",
  "optionalDependencies",
] as const;

/**
 * Links each `workspace:` dependency into the package's node_modules inside the copy, as `pnpm install` does:
 * `pnpm publish` and `pnpm pack` read the linked package's version from there to replace `workspace:*`.
 * (The repository's own links are relative and would point back at the unbumped packages.)
 */
async function linkWorkspaceDependencies(dest: string, packages: WorkspacePackage[]): Promise<void> {
  const dirByName = new Map(packages.map((pkg) => [pkg.name, pkg.dir]));
  for (const pkg of packages) {
    const manifest = JSON.parse(await readFile(join(dest, pkg.dir, "package.json"), "utf8")) as Record<
      string,
      Record<string, string> | undefined
    >;
    const names = new Set<string>();
    for (const field of DEPENDENCY_FIELDS) {
      for (const [name, spec] of Object.entries(manifest[field] ?? {})) {
        if (spec.startsWith("workspace:")) names.add(name);
      }
    }
    for (const name of names) {
      const target = dirByName.get(name);
      if (target === undefined)
        throw new Error(`${pkg.name} depends on ${name} (workspace:) but no package has that name`);
      const link = join(dest, pkg.dir, "node_modules", name);
      await mkdir(dirname(link), { recursive: true });
      await symlink(join(dest, target), link, "dir");
    }
  }
}

/** A changeset that bumps every public package (patch), as a maintainer's `changeset add` would write it. */
export async function writeReleaseChangeset(dest: string, packages: WorkspacePackage[]): Promise<void> {
  const lines = packages.filter((p) => !p.private).map((p) => `"${p.name}": patch`);
  await writeFile(
    join(dest, ".changeset", "release-e2e.md"),
    `---\n${lines.join("\n")}\n---\n\nRelease test: every public package, published to a local registry.\n`,
  );
}
