import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMemoryStorage, type SessionStorage } from "@openclaw/sessions";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PairingError } from "./channel-error.js";
import { createPairingStore, DEFAULT_PAIRING_TTL_MS, type PairingStore } from "./pairing-store.js";
import { openTablePairingStore } from "./pairing-table-store.js";

let stateDir: string;
let storage: SessionStorage;
let clock: number;
const now = () => clock;

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "openclaw-pairing-"));
  storage = createMemoryStorage();
  clock = Date.parse("2026-01-01T00:00:00Z");
});

afterEach(async () => {
  await storage.close();
  await rm(stateDir, { recursive: true, force: true });
});

/** Both implementations the gateway can run with; every behavioural test below runs against each. */
const backends: { name: string; open: () => Promise<PairingStore> }[] = [
  { name: "files", open: async () => createPairingStore({ stateDir, now }) },
  { name: "storage tables", open: () => openTablePairingStore({ storage, stateDir, now }) },
];

function codeOf(result: { code: string | undefined }): string {
  expect(result.code).toBeDefined();
  return result.code as string;
}

describe.each(backends)("pairing store over $name", ({ open }) => {
  it("issues an 8-character code without ambiguous characters and gives the same pending sender the same code", async () => {
    const store = await open();
    const first = store.request({
      channel: "telegram",
      accountId: "default",
      senderId: "42",
      senderName: "Ann",
    });
    expect(first.created).toBe(true);
    expect(codeOf(first)).toMatch(/^[A-HJ-NP-Z2-9]{8}$/);
    const again = store.request({ channel: "telegram", accountId: "default", senderId: "42" });
    expect(again).toEqual({ code: first.code, created: false });
    expect(store.list("telegram")).toEqual([
      {
        channel: "telegram",
        accountId: "default",
        senderId: "42",
        senderName: "Ann",
        code: first.code,
        createdAt: clock,
        lastSeenAt: clock,
        expiresAt: clock + DEFAULT_PAIRING_TTL_MS,
      },
    ]);
  });

  it("caps pending requests at 3 per channel account and ignores the extra ones", async () => {
    const store = await open();
    for (const id of ["1", "2", "3"]) {
      expect(store.request({ channel: "telegram", accountId: "default", senderId: id }).created).toBe(true);
    }
    expect(store.request({ channel: "telegram", accountId: "default", senderId: "4" })).toEqual({
      code: undefined,
      created: false,
    });
    // Another account of the same channel has its own cap.
    expect(store.request({ channel: "telegram", accountId: "alerts", senderId: "4" }).created).toBe(true);
    expect(store.list("telegram")).toHaveLength(4);
  });

  it("approves a code: the sender is allowed for that account only and the request is gone", async () => {
    const store = await open();
    const code = codeOf(store.request({ channel: "telegram", accountId: "work", senderId: "42" }));
    expect(store.approve("telegram", code.toLowerCase())).toEqual({ accountId: "work", senderId: "42" });
    expect(store.isApproved("telegram", "work", "42")).toBe(true);
    expect(store.isApproved("telegram", "default", "42")).toBe(false);
    expect(store.isApproved("slack", "work", "42")).toBe(false);
    expect(store.list()).toEqual([]);
    expect(store.approvedSenders("telegram")).toEqual([{ accountId: "work", senderId: "42" }]);
    expect(() => store.approve("telegram", code)).toThrowError(
      expect.objectContaining({ code: "PAIRING_CODE_UNKNOWN" }),
    );
  });

  it("expires codes after the TTL with a message that says what to do", async () => {
    const store = await open();
    const code = codeOf(store.request({ channel: "telegram", accountId: "default", senderId: "42" }));
    clock += DEFAULT_PAIRING_TTL_MS + 1;
    expect(store.list("telegram")).toEqual([]);
    let caught: unknown;
    try {
      store.approve("telegram", code);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PairingError);
    expect((caught as PairingError).code).toBe("PAIRING_CODE_EXPIRED");
    expect((caught as PairingError).message).toContain("message the bot again");
    // An expired request no longer counts against the cap, and the sender gets a fresh code.
    const fresh = store.request({ channel: "telegram", accountId: "default", senderId: "42" });
    expect(fresh.created).toBe(true);
    expect(fresh.code).not.toBe(code);
  });

  it("rejects a code without approving the sender", async () => {
    const store = await open();
    const code = codeOf(store.request({ channel: "telegram", accountId: "default", senderId: "42" }));
    expect(store.reject("telegram", code)).toEqual({ accountId: "default", senderId: "42" });
    expect(store.isApproved("telegram", "default", "42")).toBe(false);
    expect(store.list()).toEqual([]);
  });

  it("lists requests across channels and keeps channels with similar names apart", async () => {
    const store = await open();
    const a = codeOf(store.request({ channel: "acme", accountId: "chat-x", senderId: "1" }));
    const b = codeOf(store.request({ channel: "acme-chat", accountId: "x", senderId: "2" }));
    expect(store.list().map((r) => r.channel)).toEqual(["acme", "acme-chat"]);
    store.approve("acme", a);
    store.approve("acme-chat", b);
    expect(store.approvedSenders("acme")).toEqual([{ accountId: "chat-x", senderId: "1" }]);
    expect(store.approvedSenders("acme-chat")).toEqual([{ accountId: "x", senderId: "2" }]);
  });

  it("refuses a channel id that could escape the credentials folder", async () => {
    const store = await open();
    expect(() => store.request({ channel: "../x", accountId: "default", senderId: "1" })).toThrowError(
      expect.objectContaining({ code: "PAIRING_INVALID_CHANNEL" }),
    );
  });

  it("keeps account ids with any characters apart", async () => {
    const store = await open();
    const code = codeOf(store.request({ channel: "telegram", accountId: "../Work Bot ✓", senderId: "9" }));
    store.approve("telegram", code);
    expect(store.isApproved("telegram", "../Work Bot ✓", "9")).toBe(true);
    expect(store.isApproved("telegram", "../Work Bot", "9")).toBe(false);
    expect(store.approvedSenders("telegram")).toEqual([{ accountId: "../Work Bot ✓", senderId: "9" }]);
  });
});

describe("createPairingStore (files)", () => {
  it("writes OpenClaw's credentials files with mode 0600 and no temp files left", async () => {
    const store = createPairingStore({ stateDir, now });
    const code = codeOf(store.request({ channel: "telegram", accountId: "default", senderId: "42" }));
    store.approve("telegram", code);
    const files = (await readdir(join(stateDir, "credentials"))).sort();
    expect(files).toEqual(["telegram-allowFrom.json", "telegram-pairing.json"]);
    const allow = JSON.parse(
      await readFile(join(stateDir, "credentials", "telegram-allowFrom.json"), "utf8"),
    );
    expect(allow).toMatchObject({ version: 1, allowFrom: ["42"] });
    const mode = (await stat(join(stateDir, "credentials", "telegram-allowFrom.json"))).mode & 0o777;
    expect(mode).toBe(0o600);
  });

  it("reads approvals written by another process (the CLI) without a restart", () => {
    const gateway = createPairingStore({ stateDir, now });
    const cli = createPairingStore({ stateDir, now });
    const code = codeOf(gateway.request({ channel: "telegram", accountId: "default", senderId: "7" }));
    expect(gateway.isApproved("telegram", "default", "7")).toBe(false);
    cli.approve("telegram", code);
    expect(gateway.isApproved("telegram", "default", "7")).toBe(true);
  });

  it("keeps account ids with file-system characters inside the credentials folder", async () => {
    const store = createPairingStore({ stateDir, now });
    const code = codeOf(store.request({ channel: "telegram", accountId: "../Work Bot ✓", senderId: "9" }));
    store.approve("telegram", code);
    expect(await readdir(stateDir)).toEqual(["credentials"]);
    expect(store.isApproved("telegram", "../Work Bot ✓", "9")).toBe(true);
    expect(store.approvedSenders("telegram")).toEqual([{ accountId: "../Work Bot ✓", senderId: "9" }]);
  });

  it("reports a corrupt file by path instead of treating it as empty", async () => {
    const store = createPairingStore({ stateDir, now });
    store.request({ channel: "telegram", accountId: "default", senderId: "1" });
    await writeFile(join(stateDir, "credentials", "telegram-allowFrom.json"), "{not json");
    expect(() => store.isApproved("telegram", "default", "1")).toThrowError(/telegram-allowFrom\.json/);
  });
});
