import { describe, expect, it } from "vitest";
import {
  type CredentialStorage,
  clearCredential,
  loadCredential,
  saveCredential,
} from "./credential-store.js";

function memoryStorage(): CredentialStorage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => {
      items.set(key, value);
    },
    removeItem: (key) => {
      items.delete(key);
    },
  };
}

describe("credential store", () => {
  it("round-trips a token and a password, and forgets on clear", () => {
    const storage = memoryStorage();
    expect(loadCredential(storage)).toBeUndefined();
    saveCredential(storage, { kind: "token", secret: "s3cret" });
    expect(loadCredential(storage)).toEqual({ kind: "token", secret: "s3cret" });
    saveCredential(storage, { kind: "password", secret: "pw" });
    expect(loadCredential(storage)).toEqual({ kind: "password", secret: "pw" });
    clearCredential(storage);
    expect(loadCredential(storage)).toBeUndefined();
    expect(storage.items.size).toBe(0);
  });

  it("keeps the no-authentication choice, which carries no secret", () => {
    const storage = memoryStorage();
    saveCredential(storage, { kind: "none", secret: "" });
    expect(loadCredential(storage)).toEqual({ kind: "none", secret: "" });
    storage.setItem("openclaw.control-ui.credential", JSON.stringify({ kind: "none", secret: "leaked" }));
    expect(loadCredential(storage)).toBeUndefined();
  });

  it("drops a damaged entry instead of failing", () => {
    const storage = memoryStorage();
    storage.setItem("openclaw.control-ui.credential", "{not json");
    expect(loadCredential(storage)).toBeUndefined();
    expect(storage.items.size).toBe(0);
    storage.setItem("openclaw.control-ui.credential", JSON.stringify({ kind: "cookie", secret: "x" }));
    expect(loadCredential(storage)).toBeUndefined();
  });
});
