import { randomBytes } from "node:crypto";
import type { ConfigDraft } from "./config-draft.js";
import type { Prompter } from "./wizard-prompter.js";

export type AuthMode = "token" | "password" | "none";

/** 32 random bytes as hex, the same shape the gateway mints on first start. */
export function generateToken(): string {
  return randomBytes(32).toString("hex");
}

/** The mode the gateway will use for this draft, with the gateway's own rule for an unset mode. */
export function currentAuthMode(draft: ConfigDraft): AuthMode {
  const mode = draft.get("gateway.auth.mode");
  if (mode === "token" || mode === "password" || mode === "none") return mode;
  return draft.get("gateway.auth.password") !== undefined && draft.get("gateway.auth.token") === undefined
    ? "password"
    : "token";
}

export function validatePassword(value: string): string | undefined {
  return value.length < 8 ? "use at least 8 characters" : undefined;
}

export function validateToken(value: string): string | undefined {
  return value.trim().length < 16 ? "use at least 16 characters (or generate one)" : undefined;
}

/**
 * Sets the auth mode and drops the other mode's secret, so the file never holds a credential that is not in use
 * (and the gateway never has to guess between a token and a password).
 */
export function setAuthMode(draft: ConfigDraft, mode: AuthMode): void {
  draft.set("gateway.auth.mode", mode);
  if (mode !== "token") draft.delete("gateway.auth.token");
  if (mode !== "password") draft.delete("gateway.auth.password");
}

export function storeGeneratedToken(draft: ConfigDraft): void {
  const token = generateToken();
  draft.set("gateway.auth.token", token);
  draft.revealAfterWrite.push({ label: "Gateway token", path: "gateway.auth.token", value: token });
}

/** Asks for the password; an existing one can be kept by leaving the answer empty. */
export async function askPassword(draft: ConfigDraft, prompter: Prompter): Promise<void> {
  const existing = draft.get("gateway.auth.password") !== undefined;
  const answer = await prompter.password({
    message: existing ? "Gateway password (leave empty to keep the current one)" : "Gateway password",
    validate: (value) => (existing && value === "" ? undefined : validatePassword(value)),
  });
  if (answer !== "") draft.set("gateway.auth.password", answer);
}

/** Asks how to get a token: keep the configured one, generate a new one, or type one. */
export async function askToken(draft: ConfigDraft, prompter: Prompter): Promise<void> {
  const existing = draft.get("gateway.auth.token") !== undefined;
  const choice = await prompter.select<"keep" | "generate" | "enter">({
    message: "Gateway token",
    options: [
      ...(existing ? [{ value: "keep" as const, label: "Keep the current token" }] : []),
      { value: "generate", label: "Generate a new random token", hint: "shown once after saving" },
      { value: "enter", label: "Enter my own token" },
    ],
    initialValue: existing ? "keep" : "generate",
  });
  if (choice === "generate") storeGeneratedToken(draft);
  if (choice === "enter") {
    const token = await prompter.password({ message: "Gateway token", validate: validateToken });
    draft.set("gateway.auth.token", token.trim());
  }
}
