import { cliCommand } from "./cli-invocation.js";

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

let invocation: string | undefined;

/**
 * Hints are written as `openclaw <command>`; the user may have that command under another name (`pnpm openclaw` in a
 * clone, `npx openclaw`, `node <path>`), so every quoted hint is rewritten to the name that works where they are.
 */
export function withCommandHints(text: string, cli?: string): string {
  if (cli === undefined) {
    invocation ??= cliCommand();
    cli = invocation;
  }
  return cli === "openclaw" ? text : text.replaceAll("`openclaw ", `\`${cli} `);
}

const line = (text: string) => {
  const hinted = withCommandHints(text);
  return hinted.endsWith("\n") ? hinted : `${hinted}\n`;
};

export const processOutput: Output = {
  out: (text) => process.stdout.write(line(text)),
  err: (text) => process.stderr.write(line(text)),
};

export function printJson(output: Output, value: unknown): void {
  output.out(JSON.stringify(value, null, 2));
}

/** A plain aligned table; no colours so it reads the same in logs and pipes. */
export function formatTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, index) =>
    Math.max(header.length, ...rows.map((row) => (row[index] ?? "").length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, index) => cell.padEnd(widths[index] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(headers), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join("\n");
}

export function formatAge(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "-";
  const seconds = Math.max(0, Math.round((Date.now() - ms) / 1000));
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)}m ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)}h ago`;
  return `${Math.round(seconds / 86_400)}d ago`;
}
