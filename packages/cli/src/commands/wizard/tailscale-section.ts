import { FUNNEL_NEEDS_PASSWORD } from "./config-safety.js";
import { askPassword, currentAuthMode, setAuthMode } from "./gateway-auth.js";
import { parseChoice, type WizardSection } from "./wizard-section.js";

const TAILSCALE_MODES = ["off", "serve", "funnel"] as const;
type TailscaleMode = (typeof TAILSCALE_MODES)[number];

/** `tailscale`: Serve (tailnet only) or Funnel (public). Funnel is only accepted with password sign-in. */
export const tailscaleSection: WizardSection = {
  id: "tailscale",
  title: "Tailscale: Serve or Funnel",
  flags: ["tailscale", "tailscaleResetOnExit"],

  async ask(draft, prompter) {
    const current = draft.get("gateway.tailscale.mode");
    let mode: TailscaleMode = (TAILSCALE_MODES as readonly unknown[]).includes(current)
      ? (current as TailscaleMode)
      : "off";
    for (;;) {
      mode = await prompter.select<TailscaleMode>({
        message: "Expose the gateway through Tailscale?",
        initialValue: mode,
        options: [
          { value: "off", label: "Off" },
          { value: "serve", label: "Serve", hint: "HTTPS on your tailnet only" },
          { value: "funnel", label: "Funnel", hint: "public internet: needs password sign-in" },
        ],
      });
      if (mode !== "funnel" || currentAuthMode(draft) === "password") break;
      prompter.warn(`${FUNNEL_NEEDS_PASSWORD}; it is "${currentAuthMode(draft)}" now.`);
      const switchToPassword = await prompter.confirm({
        message: "Switch gateway sign-in to a password now?",
        initialValue: false,
      });
      if (switchToPassword) {
        setAuthMode(draft, "password");
        await askPassword(draft, prompter);
        break;
      }
      prompter.note(
        "Funnel was not turned on. Choose Serve or Off, or switch to password sign-in.",
        "Funnel refused",
      );
    }
    draft.set("gateway.tailscale.mode", mode);
    if (mode !== "off") {
      const reset = await prompter.confirm({
        message: "Undo the Serve/Funnel setup when the gateway stops?",
        initialValue: draft.get("gateway.tailscale.resetOnExit") === true,
      });
      draft.set("gateway.tailscale.resetOnExit", reset);
    }
  },

  applyFlags(draft, flags) {
    if (flags.tailscale !== undefined) {
      draft.set("gateway.tailscale.mode", parseChoice("--tailscale", flags.tailscale, TAILSCALE_MODES));
    }
    if (flags.tailscaleResetOnExit !== undefined) {
      draft.set("gateway.tailscale.resetOnExit", flags.tailscaleResetOnExit);
    }
  },
};
