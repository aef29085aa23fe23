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
  const noneChoice = h("input", { type: "radio", name: "kind", value: "none", id: "kind-none" });
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

  const kind = (): CredentialKind =>
    passwordChoice.checked ? "password" : noneChoice.checked ? "none" : "token";
  const secretField = h("div", { class: "secret-field" });
  const noneHint = h(
    "p",
    { class: "hint", hidden: true, "data-testid": "sign-in-none-hint" },
    'For a gateway with gateway.auth.mode "none", which only accepts connections from this machine (loopback).',
  );
  const updateLabel = (): void => {
    const none = kind() === "none";
    secretLabel.textContent = kind() === "password" ? "Gateway password" : "Gateway token";
    // Hidden and not required, so the browser does not ask for a secret the gateway does not want.
    secretField.hidden = none;
    secret.required = !none;
    secret.disabled = none;
    noneHint.hidden = !none;
  };
  tokenChoice.addEventListener("change", updateLabel);
  passwordChoice.addEventListener("change", updateLabel);
  noneChoice.addEventListener("change", updateLabel);

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
      h("label", { for: "kind-none", class: "choice" }, noneChoice, " No authentication"),
    ),
    secretField,
    noneHint,
    submit,
    error,
  );

  secretField.append(
    secretLabel,
    secret,
    h(
      "p",
      { class: "hint" },
      "Kept in this tab only (session storage) and sent to the gateway over its WebSocket, never in the URL.",
    ),
  );

  const showError = (text: string): void => {
    error.textContent = text;
    error.hidden = false;
  };
  if (options.initialError) showError(options.initialError);

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const value = kind() === "none" ? "" : secret.value;
    if (value === "" && kind() !== "none") {
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
        if (kind() !== "none") secret.focus();
      },
    );
  });
  return h("main", { class: "sign-in-page" }, form);
}
