import type { ConfigDraft } from "./config-draft.js";
import {
  type AuthMode,
  askPassword,
  askToken,
  currentAuthMode,
  setAuthMode,
  storeGeneratedToken,
  validatePassword,
  validateToken,
} from "./gateway-auth.js";
import { WizardError } from "./wizard-error.js";
import type { WizardFlags } from "./wizard-flags.js";
import { checkFlag, parseChoice, type WizardSection } from "./wizard-section.js";

const BIND_MODES = ["loopback", "lan", "tailnet", "auto", "custom"] as const;
const AUTH_MODES = ["token", "password", "none"] as const;
export const DEFAULT_PORT = 18789;

export function validatePort(value: string): string | undefined {
  const port = Number(value.trim());
  return /^\d+$/.test(value.trim()) && port >= 1 && port <= 65535
    ? undefined
    : "expected a whole number between 1 and 65535";
}

export function validateIpv4(value: string): string | undefined {
  const parts = value.trim().split(".");
  const ok = parts.length === 4 && parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255);
  return ok ? undefined : "expected an IPv4 address such as 192.168.1.10";
}

function currentBind(draft: ConfigDraft): (typeof BIND_MODES)[number] {
  const bind = draft.get("gateway.bind");
  return (BIND_MODES as readonly unknown[]).includes(bind)
    ? (bind as (typeof BIND_MODES)[number])
    : "loopback";
}

/** Applies the auth flags; token mode without a token anywhere gets a generated one, as the gateway would. */
function applyAuthFlags(draft: ConfigDraft, flags: WizardFlags): void {
  const mode: AuthMode =
    flags.auth !== undefined
      ? parseChoice("--auth", flags.auth, AUTH_MODES)
      : flags.password !== undefined
        ? "password"
        : flags.token !== undefined || flags.generateToken
          ? "token"
          : currentAuthMode(draft);
  if (flags.token !== undefined && flags.generateToken) {
    throw new WizardError("WIZARD_BAD_FLAG", "--token and --generate-token contradict each other: pass one");
  }
  if (mode !== "token" && (flags.token !== undefined || flags.generateToken)) {
    throw new WizardError(
      "WIZARD_BAD_FLAG",
      `--token/--generate-token need --auth token (got --auth ${mode})`,
    );
  }
  if (mode !== "password" && flags.password !== undefined) {
    throw new WizardError("WIZARD_BAD_FLAG", `--password needs --auth password (got --auth ${mode})`);
  }
  if (
    flags.auth !== undefined ||
    flags.password !== undefined ||
    flags.token !== undefined ||
    flags.generateToken
  ) {
    setAuthMode(draft, mode);
  }
  if (flags.token !== undefined)
    draft.set("gateway.auth.token", checkFlag("--token", flags.token, validateToken));
  if (flags.password !== undefined) {
    draft.set("gateway.auth.password", checkFlag("--password", flags.password, validatePassword));
  }
  if (mode === "token" && (flags.generateToken || draft.get("gateway.auth.token") === undefined)) {
    storeGeneratedToken(draft);
  }
}

/** `gateway`: port, bind, auth. Binding beyond loopback is only offered with a token or password. */
export const gatewaySection: WizardSection = {
  id: "gateway",
  title: "Gateway: port, network and sign-in",
  flags: ["port", "bind", "bindHost", "auth", "token", "generateToken", "password"],

  async ask(draft, prompter) {
    const port = await prompter.text({
      message: "Port for the gateway (WebSocket + HTTP)",
      initialValue: String(draft.get("gateway.port") ?? DEFAULT_PORT),
      validate: validatePort,
    });
    draft.set("gateway.port", Number(port.trim()));

    const bind = await prompter.select({
      message: "Who can reach it?",
      initialValue: currentBind(draft),
      options: [
        { value: "loopback", label: "This machine only (loopback)", hint: "127.0.0.1" },
        { value: "lan", label: "My local network (lan)", hint: "0.0.0.0: needs a token or password" },
        { value: "tailnet", label: "My tailnet (tailnet)", hint: "the Tailscale address" },
        { value: "auto", label: "Tailnet if present, else loopback (auto)" },
        { value: "custom", label: "One address I choose (custom)" },
      ],
    });
    draft.set("gateway.bind", bind);
    if (bind === "custom") {
      const host = await prompter.text({
        message: "IPv4 address to listen on",
        initialValue: draft.getString("gateway.customBindHost") ?? "",
        validate: validateIpv4,
      });
      draft.set("gateway.customBindHost", host.trim());
    }

    const current = currentAuthMode(draft);
    const open = bind !== "loopback";
    const mode = await prompter.select<AuthMode>({
      message: "How do clients sign in?",
      initialValue: open && current === "none" ? "token" : current,
      options: [
        { value: "token", label: "Token", hint: "recommended" },
        { value: "password", label: "Password", hint: "needed for Tailscale Funnel" },
        {
          value: "none",
          label: "No sign-in",
          hint: open
            ? "only with loopback: anyone on the network could use the gateway"
            : "this machine only",
          disabled: open,
        },
      ],
    });
    setAuthMode(draft, mode);
    if (mode === "token") await askToken(draft, prompter);
    if (mode === "password") await askPassword(draft, prompter);
  },

  applyFlags(draft, flags) {
    if (flags.port !== undefined)
      draft.set("gateway.port", Number(checkFlag("--port", flags.port, validatePort)));
    if (flags.bind !== undefined) draft.set("gateway.bind", parseChoice("--bind", flags.bind, BIND_MODES));
    if (flags.bindHost !== undefined) {
      draft.set("gateway.customBindHost", checkFlag("--bind-host", flags.bindHost, validateIpv4).trim());
    }
    applyAuthFlags(draft, flags);
  },
};
