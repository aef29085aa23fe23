import type { OpenClawConfig } from "@openclaw/gateway";
import { check, type DoctorCheck } from "./doctor-check.js";

export interface CredentialSummary {
  mode: "token" | "password" | "none";
  secret?: string;
}

const MIN_TOKEN_LENGTH = 32;
const MIN_PASSWORD_LENGTH = 12;

/** Values people paste from examples and forget to replace; lowercased, separators removed before comparing. */
const PLACEHOLDERS = new Set([
  "changeme",
  "change-me",
  "token",
  "secret",
  "password",
  "yourtoken",
  "yourtokenhere",
  "yourgatewaytoken",
  "replaceme",
  "openclaw",
  "test",
  "example",
  "123456",
  "12345678",
  "admin",
  "xxx",
]);

function isPlaceholder(secret: string): boolean {
  const normalised = secret.toLowerCase().replace(/[\s_<>-]/g, "");
  return PLACEHOLDERS.has(normalised) || /^(.)\1+$/.test(secret);
}

const TOKEN_FIX =
  "set a random token: `openclaw config set gateway.auth.token <64 hex characters>` (e.g. from `openssl rand -hex 32`), or unset it and let `openclaw gateway` mint one";

export function checkTokenStrength(credential: CredentialSummary): DoctorCheck {
  const { mode, secret } = credential;
  if (mode === "none") return check("token-strength", "skipped", "gateway auth is off (mode none)");
  if (mode === "password") {
    if (secret === undefined) {
      return check(
        "token-strength",
        "error",
        "gateway.auth.mode is password but no password is set: the gateway will not start",
        "`openclaw config set gateway.auth.password <password>` or set OPENCLAW_GATEWAY_PASSWORD",
      );
    }
    if (isPlaceholder(secret) || secret.length < MIN_PASSWORD_LENGTH) {
      return check(
        "token-strength",
        "warn",
        `the gateway password is weak (${secret.length} characters; use at least ${MIN_PASSWORD_LENGTH}, not a placeholder)`,
        "`openclaw config set gateway.auth.password <a longer password>`",
      );
    }
    return check("token-strength", "ok", `gateway password is ${secret.length} characters`);
  }
  if (secret === undefined) {
    return check(
      "token-strength",
      "ok",
      "no gateway token yet: `openclaw gateway` mints one into the config on first start",
    );
  }
  if (isPlaceholder(secret)) {
    return check("token-strength", "error", "the gateway token is a placeholder value", TOKEN_FIX);
  }
  if (secret.length < MIN_TOKEN_LENGTH) {
    return check(
      "token-strength",
      "warn",
      `the gateway token is short (${secret.length} characters; use at least ${MIN_TOKEN_LENGTH})`,
      TOKEN_FIX,
    );
  }
  return check("token-strength", "ok", `gateway token is ${secret.length} characters`);
}

/** Anything but loopback is reachable from other machines, so it must not be open and should not be guessable. */
export function checkBindSafety(config: OpenClawConfig, credential: CredentialSummary): DoctorCheck {
  const bind = config.gateway.bind;
  if (bind === "loopback") {
    return check("bind-safety", "ok", "gateway binds to loopback only (127.0.0.1)");
  }
  if (credential.mode === "none") {
    return check(
      "bind-safety",
      "error",
      `gateway.bind is "${bind}" but gateway.auth.mode is "none": anyone on the network can operate the gateway`,
      "`openclaw config set gateway.auth.mode token` (the gateway mints a token) or `openclaw config set gateway.bind loopback`",
    );
  }
  const secret = credential.secret;
  const minimum = credential.mode === "token" ? MIN_TOKEN_LENGTH : MIN_PASSWORD_LENGTH;
  if (secret !== undefined && (secret.length < minimum || isPlaceholder(secret))) {
    return check(
      "bind-safety",
      "warn",
      `gateway.bind is "${bind}" with a short ${credential.mode}: it can be guessed from the network`,
      credential.mode === "token"
        ? TOKEN_FIX
        : "`openclaw config set gateway.auth.password <a longer password>`",
    );
  }
  return check("bind-safety", "ok", `gateway.bind is "${bind}" with ${credential.mode} auth`);
}

/**
 * `gateway.tailscale` serve/funnel: the same rules the gateway enforces at start (funnel is public, so it needs a
 * password; both need a loopback bind), checked here so they show up before a failed start.
 */
export function checkTailscale(config: OpenClawConfig, credential: CredentialSummary): DoctorCheck {
  const { mode } = config.gateway.tailscale;
  if (mode === "off") return check("tailscale", "ok", "Tailscale serve/funnel is off");
  if (mode === "funnel" && credential.mode !== "password") {
    return check(
      "tailscale",
      "error",
      `gateway.tailscale.mode is "funnel" (public internet) but gateway.auth.mode is "${credential.mode}": funnel needs password auth`,
      "`openclaw config --section gateway --section tailscale` (choose password auth), or `openclaw config set gateway.tailscale.mode serve`",
    );
  }
  if (config.gateway.bind !== "loopback") {
    return check(
      "tailscale",
      "error",
      `gateway.tailscale.mode is "${mode}" but gateway.bind is "${config.gateway.bind}": Tailscale must be the only way in`,
      "`openclaw config set gateway.bind loopback`",
    );
  }
  return check("tailscale", "ok", `Tailscale ${mode} (the gateway runs \`tailscale ${mode}\` at start)`);
}
