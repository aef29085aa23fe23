import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMemoryStorage, type SessionStorage } from "@openclaw/sessions";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createExecAllowlist, type ExecAllowlist } from "./exec-allowlist.js";
import { openTableExecAllowlist } from "./exec-allowlist-table.js";

let stateDir: string;
let storage: SessionStorage;

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "openclaw-exec-allowlist-"));
  storage = createMemoryStorage();
});

afterEach(async () => {
  await storage.close();
  await rm(stateDir, { recursive: true, force: true });
});

const backends: { name: string; open: () => Promise<ExecAllowlist> }[] = [
  { name: "files", open: async () => createExecAllowlist(stateDir) },
  { name: "storage tables", open: () => openTableExecAllowlist({ storage, stateDir }) },
];

describe.each(backends)("exec allowlist over $name", ({ open }) => {
  it("allows exactly the granted command of the granted agent, nothing near it", async () => {
    const allowlist = await open();
    expect(allowlist.allows("main", "git status")).toBe(false);
    allowlist.add("main", "git status");
    expect(allowlist.allows("main", "git status")).toBe(true);
    expect(allowlist.allows("main", "git push")).toBe(false);
    expect(allowlist.allows("main", "git status ")).toBe(false);
    expect(allowlist.allows("work", "git status")).toBe(false);
  });

  it("keeps one grant per command however often it is added, and commands of any length", async () => {
    const allowlist = await open();
    const long = `echo ${"x".repeat(2_000)}`;
    allowlist.add("main", long);
    allowlist.add("main", long);
    expect(allowlist.allows("main", long)).toBe(true);
    expect(allowlist.allows("main", `${long}y`)).toBe(false);
  });
});

describe("openTableExecAllowlist", () => {
  it("imports exec-approvals.json once, leaving it as it was, and keeps flushed grants", async () => {
    const path = join(stateDir, "exec-approvals.json");
    const legacy = {
      version: 1,
      socket: { path: "/tmp/openclaw.sock" },
      agents: {
        main: {
          allowlist: [
            { id: "1", pattern: "ls", source: "allow-always", commandText: "ls", lastUsedAt: 5 },
            { id: "2", pattern: "rm *", source: "pattern", commandText: "rm -rf /" },
          ],
        },
      },
    };
    await writeFile(path, JSON.stringify(legacy));

    const allowlist = await openTableExecAllowlist({ storage, stateDir });
    expect(allowlist.allows("main", "ls")).toBe(true);
    // Only "allow always" answers grant; an imported entry of another kind is kept but grants nothing.
    expect(allowlist.allows("main", "rm -rf /")).toBe(false);
    expect(await storage.table("exec.allowlist").list()).toHaveLength(2);
    allowlist.add("main", "pwd");
    await allowlist.flush();
    expect(JSON.parse(await readFile(path, "utf8"))).toEqual(legacy);

    createExecAllowlist(stateDir).add("main", "whoami");
    const reopened = await openTableExecAllowlist({ storage, stateDir });
    expect(reopened.allows("main", "pwd")).toBe(true);
    expect(reopened.allows("main", "whoami")).toBe(false);
  });
});
