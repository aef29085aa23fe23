import { channelsSection } from "./channels-section.js";
import { gatewaySection } from "./gateway-section.js";
import { httpSection } from "./http-section.js";
import { modelsSection } from "./models-section.js";
import { tailscaleSection } from "./tailscale-section.js";
import { WizardError } from "./wizard-error.js";
import { FLAG_NAMES, givenFlags, type WizardFlags } from "./wizard-flags.js";
import type { SectionId, WizardSection } from "./wizard-section.js";

/** Every section, in the order the full wizard asks them. */
export const WIZARD_SECTIONS: readonly WizardSection[] = [
  gatewaySection,
  tailscaleSection,
  httpSection,
  modelsSection,
  channelsSection,
];

/** What `--section` selected, in wizard order, each once; `channel` when a channel was named (`--section telegram`). */
export interface SectionSelection {
  sections: WizardSection[];
  channel?: string;
}

/** Other names `--section` accepts: OpenClaw's singular "model", and a channel's own name for the channels section. */
const ALIASES: Record<string, SectionId> = {
  model: "models",
  telegram: "channels",
  slack: "channels",
  discord: "channels",
  whatsapp: "channels",
};

/** The sections named by `--section` (repeatable); all of them when none is named. */
export function resolveSections(names: readonly string[] | undefined): SectionSelection {
  if (names === undefined || names.length === 0) return { sections: [...WIZARD_SECTIONS] };
  const ids = names.map((name) => {
    const id = ALIASES[name] ?? name;
    if (!WIZARD_SECTIONS.some((section) => section.id === id)) {
      throw new WizardError(
        "WIZARD_BAD_FLAG",
        `unknown section "${name}": choose from ${WIZARD_SECTIONS.map((section) => section.id).join(", ")} (or a channel: telegram, slack, discord, whatsapp)`,
      );
    }
    return id;
  });
  const channel = names.find((name) => ALIASES[name] === "channels");
  return { sections: WIZARD_SECTIONS.filter((section) => ids.includes(section.id)), channel };
}

/**
 * The sections a non-interactive run applies: those whose flags were given. A flag of a section left out by
 * `--section` is an error rather than silently ignored.
 */
export function sectionsForFlags(selected: readonly WizardSection[], flags: WizardFlags): WizardSection[] {
  const given = givenFlags(flags);
  for (const key of given) {
    if (!selected.some((section) => section.flags.includes(key))) {
      const owner = WIZARD_SECTIONS.find((section) => section.flags.includes(key));
      throw new WizardError(
        "WIZARD_BAD_FLAG",
        `${FLAG_NAMES[key].split(" ")[0]} belongs to the ${owner?.id} section: add --section ${owner?.id}`,
      );
    }
  }
  return selected.filter((section) => section.flags.some((key) => given.includes(key)));
}

/** The flags of each section, one line each, for the "needs a terminal" message. */
export function describeFlags(sections: readonly WizardSection[]): string {
  return sections
    .map((section) => `  ${section.id}: ${section.flags.map((key) => FLAG_NAMES[key]).join(" ")}`)
    .join("\n");
}
