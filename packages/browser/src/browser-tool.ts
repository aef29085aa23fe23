import type { AgentTool, ToolModelOutput } from "@openclaw/agent";
import { IMAGE_MAX_BYTES } from "@openclaw/tools";
import { z } from "zod";
import type { BrowserControl, BrowserRequest } from "./browser-control.js";
import { BrowserError, type BrowserErrorCode } from "./browser-error.js";
import { ACT_KINDS } from "./running-profile.js";

/** OpenClaw's browser tool actions this gateway serves (a subset of its `action` enum, same names). */
export const BROWSER_TOOL_ACTIONS = [
  "status",
  "start",
  "stop",
  "profiles",
  "tabs",
  "open",
  "focus",
  "close",
  "snapshot",
  "screenshot",
  "navigate",
  "pdf",
  "act",
] as const;

const ActFields = {
  kind: z.enum(ACT_KINDS).optional(),
  targetId: z.string().max(128).optional().describe("Prefer suggestedTargetId/tabId (t1) from tabs or open."),
  ref: z.string().max(64).optional().describe("snapshot ref, e.g. e12."),
  text: z.string().max(100_000).optional(),
  key: z.string().max(64).optional().describe("Escape, Enter, Control+A."),
  values: z.array(z.string().max(10_000)).max(100).optional(),
  submit: z.boolean().optional(),
  doubleClick: z.boolean().optional(),
  timeMs: z.int().min(0).max(30_000).optional(),
  timeoutMs: z.int().min(1).max(120_000).optional(),
};

/** The tool's arguments, OpenClaw's names; keys this gateway does not act on (e.g. `target`, `refs`) are accepted. */
export const BrowserToolArgsSchema = z.looseObject({
  action: z.enum(BROWSER_TOOL_ACTIONS),
  profile: z.string().max(64).optional().describe("default if omitted."),
  targetUrl: z.string().max(8192).optional(),
  url: z.string().max(8192).optional(),
  maxChars: z.int().min(1).max(200_000).optional(),
  depth: z.int().min(1).max(100).optional().describe("snapshot: levels of the tree to include."),
  fullPage: z.boolean().optional(),
  type: z.enum(["png", "jpeg"]).optional(),
  ...ActFields,
  request: z
    .looseObject({ ...ActFields, kind: z.enum(ACT_KINDS) })
    .optional()
    .describe("act"),
});

export type BrowserToolArgs = z.infer<typeof BrowserToolArgsSchema>;

const DESCRIPTION = [
  `Control the agent's own isolated browser (a dedicated Chromium profile). Actions: ${BROWSER_TOOL_ACTIONS.join(", ")}.`,
  "open takes targetUrl and returns a tab handle (suggestedTargetId, e.g. t1); pass it as targetId afterwards.",
  "snapshot returns the page's accessibility tree with refs (e.g. [ref=e12]); act with kind click/type/press/hover/select/fill and that ref.",
  "After an act that changes the page, take a new snapshot before using refs again.",
  "screenshot returns the image (fullPage for the whole page). Private and loopback addresses are refused unless browser.ssrfPolicy allows them.",
].join(" ");

function toRequest(args: BrowserToolArgs): Omit<BrowserRequest, "agentId" | "signal"> {
  const query = args.profile ? { profile: args.profile } : {};
  const url = args.targetUrl ?? args.url;
  switch (args.action) {
    case "status":
      return { method: "GET", path: "/", query };
    case "start":
      return { method: "POST", path: "/start", query };
    case "stop":
      return { method: "POST", path: "/stop", query };
    case "profiles":
      return { method: "GET", path: "/profiles", query };
    case "tabs":
      return { method: "GET", path: "/tabs", query };
    case "open":
      return { method: "POST", path: "/tabs/open", query, body: { url } };
    case "focus":
      return { method: "POST", path: "/tabs/focus", query, body: { targetId: args.targetId } };
    case "close":
      if (!args.targetId)
        throw new BrowserError("INVALID_REQUEST", "close needs targetId (from tabs or open)");
      return { method: "DELETE", path: `/tabs/${encodeURIComponent(args.targetId)}`, query };
    case "navigate":
      return { method: "POST", path: "/navigate", query, body: { url, targetId: args.targetId } };
    case "snapshot":
      return {
        method: "GET",
        path: "/snapshot",
        query: {
          ...query,
          ...(args.targetId ? { targetId: args.targetId } : {}),
          ...(args.maxChars ? { maxChars: args.maxChars } : {}),
          ...(args.depth ? { depth: args.depth } : {}),
        },
      };
    case "screenshot":
      return {
        method: "POST",
        path: "/screenshot",
        query,
        body: { targetId: args.targetId, fullPage: args.fullPage, type: args.type, ref: args.ref },
      };
    case "pdf":
      return { method: "POST", path: "/pdf", query, body: { targetId: args.targetId } };
    case "act": {
      const { request, action: _action, profile: _profile, ...flat } = args;
      return { method: "POST", path: "/act", query, body: { ...flat, ...request } };
    }
  }
}

interface ScreenshotResult {
  image?: { data: string; mediaType: string };
  [key: string]: unknown;
}

/** The `browser` agent tool: each action is one control route, run in the calling agent's own profiles. */
export function createBrowserTool(control: BrowserControl): AgentTool {
  return {
    name: "browser",
    description: DESCRIPTION,
    parameters: BrowserToolArgsSchema,
    async execute(rawArgs, ctx) {
      const parsed = BrowserToolArgsSchema.safeParse(rawArgs);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new BrowserError(
          "INVALID_REQUEST",
          `browser: ${issue?.path.join(".") || "arguments"} ${issue?.message}`,
        );
      }
      if (parsed.data.action === "act" && !parsed.data.kind && !parsed.data.request) {
        throw new BrowserError("INVALID_REQUEST", `browser act needs kind (${ACT_KINDS.join(", ")}) and ref`);
      }
      const response = await control.request({
        ...toRequest(parsed.data),
        agentId: ctx.agentId,
        signal: ctx.signal,
      });
      if (response.status >= 400) {
        const code = (response.body.code as BrowserErrorCode | undefined) ?? "ACT_OPERATION_FAILED";
        throw new BrowserError(code, String(response.body.error ?? `browser ${parsed.data.action} failed`));
      }
      const capture = response.capture;
      if (!capture || capture.mediaType === "application/pdf") return response.body;
      if (capture.data.byteLength > IMAGE_MAX_BYTES) {
        // Over what a model takes in one image: the file stays on disk and the model is told why it sees none.
        return {
          ...response.body,
          note: `the screenshot is ${capture.data.byteLength} bytes, over the ${IMAGE_MAX_BYTES}-byte image limit: take it without fullPage, or with type jpeg`,
        };
      }
      return {
        ...response.body,
        image: { data: capture.data.toString("base64"), mediaType: capture.mediaType },
      };
    },
    toModelOutput(result): ToolModelOutput {
      const { image, ...rest } = result as ScreenshotResult;
      if (!image) return { type: "json", value: result };
      return {
        type: "content",
        value: [
          { type: "text", text: JSON.stringify(rest) },
          { type: "image-data", data: image.data, mediaType: image.mediaType },
        ],
      };
    },
  };
}
