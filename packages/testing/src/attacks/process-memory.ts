import { readFile } from "node:fs/promises";

/** A process's resident set size in bytes, read from `/proc/<pid>/status` (Linux). */
export async function readRssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kib = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
  if (kib === undefined) throw new Error(`no VmRSS line in /proc/${pid}/status`);
  return Number(kib) * 1024;
}
