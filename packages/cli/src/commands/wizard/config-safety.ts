import type { ConfigDraft } from "./config-draft.js";
import { currentAuthMode } from "./gateway-auth.js";

export const FUNNEL_NEEDS_PASSWORD =
  "Tailscale Funnel publishes the gateway on the public internet, where a long password is the only safe sign-in: it needs gateway auth mode password";

/**
 * The combinations the gateway would refuse to start with, or that would expose it: each one sentence naming the
 * fix. The prompts steer around them; this is the last check before anything is written.
 */
export function findUnsafeSettings(draft: ConfigDraft): string[] {
  const problems: string[] = [];
  const mode = currentAuthMode(draft);
  const bind = draft.get("gateway.bind") ?? "loopback";
  if (bind !== "loopback" && mode === "none") {
    problems.push(
      `gateway.bind "${String(bind)}" listens beyond this machine, so it needs sign-in: use --auth token or --auth password, or --bind loopback`,
    );
  }
  if (bind === "custom" && draft.get("gateway.customBindHost") === undefined) {
    problems.push("gateway.bind custom needs the address: pass --bind-host <ipv4>");
  }
  if (draft.get("gateway.tailscale.mode") === "funnel" && mode !== "password") {
    problems.push(
      `${FUNNEL_NEEDS_PASSWORD}: pass --auth password --password <password>, or --tailscale serve`,
    );
  }
  if (mode === "password" && draft.get("gateway.auth.password") === undefined) {
    problems.push("gateway auth mode password needs a password: pass --password <password>");
  }
  return problems;
}
