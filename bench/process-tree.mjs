// A gateway's processes as Linux sees them: resident memory counted over the whole process tree (the real OpenClaw
// gateway keeps helper Node processes, a spawn broker and a SQLite worker, that are part of what it costs to run),
// and the members of a process group (to find helpers left behind after the gateway itself exited).
import { readdirSync, readFileSync } from "node:fs";

function vmRssMb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0; // the process ended between listing and reading
  }
}

function processTable() {
  const table = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue;
    }
    // The command name may contain spaces and parentheses; the fields after the last ")" are "state ppid pgrp ...".
    const [, ppid, pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    table.push({ pid: Number(entry), ppid: Number(ppid), pgrp: Number(pgrp) });
  }
  return table;
}

function descendants(pid) {
  const childrenOf = new Map();
  for (const { pid: child, ppid } of processTable()) {
    if (!childrenOf.has(ppid)) childrenOf.set(ppid, []);
    childrenOf.get(ppid).push(child);
  }
  const found = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of childrenOf.get(queue.shift()) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/** VmRSS of the process itself and of it plus every descendant, in MB. Throws when the process is gone. */
export function rssMb(pid) {
  const main = vmRssMb(pid);
  if (main === 0) throw new Error(`process ${pid} is gone (crashed or killed, e.g. out of memory)`);
  const children = descendants(pid);
  return {
    main,
    tree: children.reduce((sum, child) => sum + vmRssMb(child), main),
    processes: children.length + 1,
  };
}

/** Pids still in process group `pgid`. */
export function processGroupMembers(pgid) {
  return processTable()
    .filter((entry) => entry.pgrp === pgid)
    .map((entry) => entry.pid);
}
