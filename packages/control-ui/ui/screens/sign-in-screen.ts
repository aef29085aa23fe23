import type { Credential, CredentialKind } from "../credential-store.js";
import { h } from "../element-builder.js";

export interface SignInScreenOptions {
  /** Connects with the credential; rejects with the gateway's refusal, which is shown as is. */
  signIn(credential: Credential): Promise<void>;
  /** Shown on arrival, e.g. why a stored credential no longer works. */
  initialError?: string;
}

export function renderSignInScreen(options: SignInScreenOptions): HTMLElement {
  const tokenChoice = h("input", {
    type: "radio",
    name: "kind",
    value: "token",
    id: "kind-token",
    checked: true,
  });
  const passwordChoice = h("input", { type: "radio", name: "kind", value: "password", id: "kind-password" });
  const secret = h("input", {
    type: "password",
    id: "secret",
    name: "secret",
    autocomplete: "current-password",
    required: true,
    "data-testid": "sign-in-secret",
  });
  const secretLabel = h("label", { for: "secret" }, "Gateway token");
  const submit = h("button", { type: "submit", "data-testid": "sign-in-submit" }, "Sign in");
  const error = h("p", { role: "alert", class: "error", "data-testid": "sign-in-error", hidden: true });

  const kind = (): CredentialKind => (passwordChoice.checked ? "password" : "token");
  const updateLabel = (): void => {
    secretLabel.textContent = kind() === "password" ? "Gateway password" : "Gateway token";
  };
  tokenChoice.addEventListener("change", updateLabel);
  passwordChoice.addEventListener("change", updateLabel);

  const form = h(
    "form",
    { class: "sign-in", "aria-labelledby": "sign-in-title", "data-testid": "sign-in-form" },
    h("h1", { id: "sign-in-title" }, "Sign in to the OpenClaw Gateway"),
    h(
      "fieldset",
      {},
      h("legend", {}, "Sign in with"),
      h("label", { for: "kind-token", class: "choice" }, tokenChoice, " Token"),
      h("label", { for: "kind-password", class: "choice" }, passwordChoice, " Password"),
    ),
    secretLabel,
    secret,
    h(
      "p",
      { class: "hint" },
      "Kept in this tab only (session storage) and sent to the gateway over its WebSocket, never in the URL.",
    ),
    submit,
    error,
  );

  const showError = (text: string): void => {
    error.textContent = text;
    error.hidden = false;
  };
  if (options.initialError) showError(options.initialError);

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const value = secret.value;
    if (value === "") {
      showError(`Enter the gateway ${kind()}.`);
      return;
    }
    submit.disabled = true;
    error.hidden = true;
    submit.textContent = "Signing in…";
    options.signIn({ kind: kind(), secret: value }).then(
      () => {
        secret.value = "";
      },
      (failure: unknown) => {
        submit.disabled = false;
        submit.textContent = "Sign in";
        showError(failure instanceof Error ? failure.message : String(failure));
        secret.focus();
      },
    );
  });
  return h("main", { class: "sign-in-page" }, form);
}
