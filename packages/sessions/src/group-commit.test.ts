import { describe, expect, it } from "vitest";
import { GroupCommit } from "./group-commit.js";

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

describe("GroupCommit", () => {
  it("serves every request made during a flush with one following flush", async () => {
    const first = gate();
    let flushes = 0;
    const commit = new GroupCommit(async () => {
      flushes += 1;
      if (flushes === 1) await first.opened;
    });
    const leading = commit.request();
    const burst = Array.from({ length: 100 }, () => commit.request());
    first.open();
    await Promise.all([leading, ...burst]);
    expect(flushes).toBe(2);
  });

  it("rejects the requests of a failed flush and keeps serving later ones", async () => {
    let attempt = 0;
    const commit = new GroupCommit(async () => {
      attempt += 1;
      if (attempt === 1) throw new Error("disk full");
    });
    await expect(commit.request()).rejects.toThrow("disk full");
    await expect(commit.request()).resolves.toBeUndefined();
    expect(attempt).toBe(2);
  });

  it("turns a flush that throws synchronously into a rejection", async () => {
    const commit = new GroupCommit(() => {
      throw new Error("boom");
    });
    await expect(commit.request()).rejects.toThrow("boom");
  });
});
