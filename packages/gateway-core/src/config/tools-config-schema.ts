import {
  AgentToAgentConfigSchema,
  FsToolsConfigSchema,
  refuseAllowWithAlsoAllow,
  SessionToolsConfigSchema,
  TOOL_POLICY_CONFIG_FIELDS,
  WebToolsConfigSchema,
} from "@openclaw/tools/config";
import { z } from "zod";
import { ToolsMediaSchema } from "./media-config-schema.js";
import { positiveInt } from "./schema-numbers.js";

// The `tools` section: the policy and each built-in tool's settings (their schemas live with the tools).

export function maxToolStepsSchema() {
  return z.int().min(1).max(200).meta({
    title: "Max tool steps per run",
    description:
      "Model calls one run may make while the model keeps calling tools; the run then ends with a note. Default 20.",
  });
}

export const ToolsSchema = z
  .looseObject({
    ...TOOL_POLICY_CONFIG_FIELDS,
    fs: FsToolsConfigSchema.prefault({}).meta({
      title: "File tools",
      description:
        "workspaceOnly (default true) keeps read/write/edit/apply_patch inside the agent's workspace.",
    }),
    web: WebToolsConfigSchema.prefault({}),
    sessions: SessionToolsConfigSchema.optional().meta({ title: "Session tools" }),
    agentToAgent: AgentToAgentConfigSchema.optional().meta({ title: "Agent-to-agent messages" }),
    media: ToolsMediaSchema.optional(),
    exec: z
      .looseObject({
        mode: z.enum(["deny", "allowlist", "ask", "auto", "full"]).default("deny").meta({
          title: "Shell commands (exec tool)",
          description:
            '"deny" offers no exec tool; "ask" asks an operator (exec.approval.requested) before each command not allowed always; "allowlist" runs only commands an operator allowed always; "full" runs any command; "auto" (an OpenClaw mode) is treated as "ask".',
        }),
        approvalTimeoutMs: positiveInt()
          .max(600_000)
          .default(120_000)
          .meta({ title: "Approval timeout (ms)", description: "No answer by then denies the command." }),
        timeoutSec: positiveInt().max(3600).default(60).meta({ title: "Command timeout (seconds)" }),
        timeoutSeconds: z
          .int({ error: "expected an integer of 0 or more" })
          .min(0, { error: "expected an integer of 0 or more" })
          .max(604_800)
          .optional()
          .meta({
            title: "Command timeout (seconds, OpenClaw's key)",
            description: "Wins over timeoutSec when set; 0 lets a command run until it ends or is killed.",
          }),
        backgroundMs: z.int().min(10).max(120_000).optional().meta({
          title: "Background after (ms)",
          description:
            "How long exec waits for a command before returning a session id to follow with the process tool. Default 10000.",
        }),
        cleanupMs: z.int().min(60_000).max(10_800_000).optional().meta({
          title: "Keep finished background jobs (ms)",
          description:
            "A finished background job's output stays readable this long. Default 1800000 (30 minutes).",
        }),
      })
      .prefault({}),
  })
  .superRefine(refuseAllowWithAlsoAllow)
  .meta({ title: "Tools" });
