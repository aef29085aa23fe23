import { SqliteStorageError } from "./sqlite-storage-error.js";

type NodeSqlite = typeof import("node:sqlite");

/**
 * Drops the one warning Node 22.13-24.14 prints when `node:sqlite` loads ("SQLite is an experimental feature"):
 * it tells a gateway user nothing they can act on, and the module has behaved the same on every version we
 * support. Every other warning passes through untouched. Written as source text so the writer thread (plain
 * JavaScript evaluated from a string) installs the very same filter.
 */
export const QUIET_SQLITE_WARNING_SOURCE = `
function quietSqliteWarning(load) {
  const original = process.emitWarning;
  process.emitWarning = function (warning, ...rest) {
    const message = typeof warning === "string" ? warning : warning && warning.message;
    const type = typeof rest[0] === "string" ? rest[0] : (rest[0] && rest[0].type) || (warning && warning.name);
    if (type === "ExperimentalWarning" && /SQLite/i.test(String(message))) return;
    return original.call(process, warning, ...rest);
  };
  try {
    return load();
  } finally {
    process.emitWarning = original;
  }
}
`;

async function quietSqliteWarning<T>(load: () => Promise<T>): Promise<T> {
  const original = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const message = typeof warning === "string" ? warning : warning?.message;
    const options = rest[0] as string | { type?: string } | undefined;
    const type = typeof options === "string" ? options : (options?.type ?? (warning as Error)?.name);
    if (type === "ExperimentalWarning" && /SQLite/i.test(String(message))) return;
    return (original as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    // Awaited inside: a dynamic import evaluates the module after this function's synchronous part.
    return await load();
  } finally {
    process.emitWarning = original;
  }
}

let loaded: Promise<NodeSqlite> | undefined;

/**
 * `node:sqlite`, loaded on first open rather than at import, so importing this package never fails. Node 22.12 has
 * it only behind `--experimental-sqlite`: there the error names the fixes.
 */
export function loadNodeSqlite(): Promise<NodeSqlite> {
  loaded ??= quietSqliteWarning(() => import("node:sqlite")).catch((cause: unknown) => {
    loaded = undefined;
    throw new SqliteStorageError(
      "SQLITE_UNAVAILABLE",
      `node:sqlite is not available in Node ${process.versions.node}: upgrade Node to >= 22.13 (or start it with --experimental-sqlite), or set storage.driver to "postgres"`,
      { cause },
    );
  });
  return loaded;
}

/** Why SQLite cannot run in this process, or undefined when it can. */
export async function sqliteUnavailableReason(): Promise<string | undefined> {
  try {
    await loadNodeSqlite();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
