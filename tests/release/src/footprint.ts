import { lstat, readdir } from "node:fs/promises";
import { join } from "node:path";

/** The apparent size of every file under `dir` (what `du --apparent-size -sb` counts; links are not followed). */
export async function directoryBytes(dir: string): Promise<number> {
  let total = 0;
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += await directoryBytes(path);
    else total += (await lstat(path)).size;
  }
  return total;
}

export function megabytes(bytes: number): number {
  return Math.round((bytes / 1_000_000) * 10) / 10;
}

export interface FootprintRow {
  install: string;
  bytes: number;
  /** What this step added to the folder before it. */
  addedBytes?: number;
}

/** A small fixed-width table for the test output. */
export function formatFootprintTable(rows: FootprintRow[]): string {
  const header = ["install", "node_modules", "added"];
  const body = rows.map((row) => [
    row.install,
    `${megabytes(row.bytes).toFixed(1)} MB`,
    row.addedBytes === undefined ? "" : `+${megabytes(row.addedBytes).toFixed(1)} MB`,
  ]);
  const widths = header.map((_, column) =>
    Math.max(...[header, ...body].map((cells) => cells[column]?.length ?? 0)),
  );
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  ");
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...body.map(line)].join("\n");
}
