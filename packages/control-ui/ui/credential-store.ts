/** "none" is for a gateway with `gateway.auth.mode: "none"` (loopback only): it connects without a credential. */
export type CredentialKind = "token" | "password" | "none";

export interface Credential {
  kind: CredentialKind;
  /** Empty for "none". */
  secret: string;
}

/** Only `sessionStorage` is passed in: the credential dies with the tab and never reaches the URL. */
export type CredentialStorage = Pick<Storage, "getItem" | "setItem" | "removeItem">;

const STORAGE_KEY = "openclaw.control-ui.credential";

export function loadCredential(storage: CredentialStorage): Credential | undefined {
  const stored = storage.getItem(STORAGE_KEY);
  if (stored === null) return undefined;
  try {
    const parsed: unknown = JSON.parse(stored);
    if (isCredential(parsed)) return parsed;
  } catch {
    // A damaged entry is treated as signed out, and removed below.
  }
  storage.removeItem(STORAGE_KEY);
  return undefined;
}

export function saveCredential(storage: CredentialStorage, credential: Credential): void {
  storage.setItem(STORAGE_KEY, JSON.stringify({ kind: credential.kind, secret: credential.secret }));
}

export function clearCredential(storage: CredentialStorage): void {
  storage.removeItem(STORAGE_KEY);
}

function isCredential(value: unknown): value is Credential {
  if (typeof value !== "object" || value === null) return false;
  const { kind, secret } = value as Record<string, unknown>;
  if (kind === "none") return secret === "";
  return (kind === "token" || kind === "password") && typeof secret === "string" && secret !== "";
}
