import { z } from "zod";
import { TOOL_PROFILE_IDS } from "./core-tool-catalog.js";

/**
 * The config keys of OpenClaw's tool policy (docs: gateway/config-tools/tool-policy.md). The same rule shape appears
 * at every level: `tools`, `tools.byProvider.<provider or provider/model>`, `agents.list[].tools`, a channel group's
 * `tools`, and each `toolsBySender` entry.
 */

const TOOL_NAME_MAX_CHARS = 256;
const TOOL_LIST_MAX_ITEMS = 1024;

const ToolNameListSchema = z.array(z.string().min(1).max(TOOL_NAME_MAX_CHARS)).max(TOOL_LIST_MAX_ITEMS).meta({
  description: 'Tool names, groups such as "group:fs", plugin ids or "*" wildcards; case-insensitive.',
});

export const ToolProfileSchema = z
  .enum(TOOL_PROFILE_IDS, { error: 'expected "minimal", "coding", "messaging" or "full"' })
  .meta({
    title: "Tool profile",
    description:
      'The base allowlist: "minimal" (session_status), "coding" (files, runtime, web, sessions, memory, ...), "messaging" (message and session tools) or "full" (everything). Unset offers every tool, as OpenClaw does.',
  });

const ruleFields = {
  allow: ToolNameListSchema.optional().meta({
    title: "Allow",
    description: "Only these tools (after the profile). Deny wins.",
  }),
  alsoAllow: ToolNameListSchema.optional().meta({
    title: "Also allow",
    description: "Added to the profile's allowlist; cannot be combined with allow in the same place.",
  }),
  deny: ToolNameListSchema.optional().meta({ title: "Deny", description: "Never these tools; deny wins." }),
};

/** OpenClaw's config validation refuses both lists in one scope: the intent (replace or extend) is ambiguous. */
export function refuseAllowWithAlsoAllow(
  rule: { allow?: unknown; alsoAllow?: unknown },
  ctx: z.RefinementCtx,
): void {
  if (rule.allow !== undefined && rule.alsoAllow !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["alsoAllow"],
      message:
        "allow and alsoAllow cannot both be set in the same place: merge alsoAllow into allow, or drop allow and use profile + alsoAllow",
    });
  }
}

/** `{ allow?, alsoAllow?, deny? }`: a group's `tools` and every `toolsBySender` entry. */
export const ToolPolicyRuleSchema = z.looseObject(ruleFields).superRefine(refuseAllowWithAlsoAllow);
export type ToolPolicyRule = z.infer<typeof ToolPolicyRuleSchema>;

export const ToolsBySenderSchema = z.record(z.string().min(1), ToolPolicyRuleSchema).meta({
  title: "Tools by sender",
  description:
    'Per-sender rules keyed "channel:<channel>:<senderId>", "id:<senderId>", "e164:<phone>", "username:<handle>", "name:<displayName>" or "*".',
});

const ProviderToolPolicySchema = z
  .looseObject({ profile: ToolProfileSchema.optional(), ...ruleFields })
  .superRefine(refuseAllowWithAlsoAllow);
export type ProviderToolPolicy = z.infer<typeof ProviderToolPolicySchema>;

/**
 * The policy keys of a `tools` section (global or an agent's), for spreading into a larger object schema. Apply
 * {@link refuseAllowWithAlsoAllow} to the object they are spread into.
 */
export const TOOL_POLICY_CONFIG_FIELDS = {
  profile: ToolProfileSchema.optional(),
  ...ruleFields,
  byProvider: z.record(z.string().min(1), ProviderToolPolicySchema).optional().meta({
    title: "Tools by provider",
    description:
      'Narrows tools for one provider ("anthropic") or model ("openai/gpt-5.4"): its own profile, allow, alsoAllow, deny.',
  }),
  toolsBySender: ToolsBySenderSchema.optional(),
};

/** An agent's `tools` (also the shape of the global section's policy keys). Other keys are kept as written. */
export const ToolPolicyConfigSchema = z
  .looseObject(TOOL_POLICY_CONFIG_FIELDS)
  .superRefine(refuseAllowWithAlsoAllow);
export type ToolPolicyConfig = z.infer<typeof ToolPolicyConfigSchema>;

/** `gateway.tools`: what `POST /tools/invoke` refuses beyond the tool policy. */
export const GatewayHttpToolsConfigSchema = z
  .looseObject({
    allow: ToolNameListSchema.optional().meta({
      title: "Allow over HTTP",
      description: "Removes tools from the default HTTP deny list (exec, sessions_spawn, cron, ...).",
    }),
    deny: ToolNameListSchema.optional().meta({
      title: "Deny over HTTP",
      description: "More tools POST /tools/invoke refuses.",
    }),
  })
  .meta({ title: "HTTP tool invocation" });
export type GatewayHttpToolsConfig = z.infer<typeof GatewayHttpToolsConfigSchema>;
