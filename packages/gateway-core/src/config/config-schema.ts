import { ModelsConfigSchema } from "@openclaw/agent";
import { OPERATOR_SCOPES } from "@openclaw/protocol";
import { GatewayHttpToolsConfigSchema } from "@openclaw/tools/config";
import { z } from "zod";
import { AgentsSchema } from "./agents-config-schema.js";
import { AuthConfigSchema, SecretsConfigSchema } from "./auth-profiles-config-schema.js";
import { BindingsConfigSchema } from "./bindings-config-schema.js";
import { BrowserConfigSchema } from "./browser-config-schema.js";
import { CanvasHostConfigSchema } from "./canvas-host-config-schema.js";
import { CommandsConfigSchema } from "./commands-config-schema.js";
import { CronSchema } from "./cron-config-schema.js";
import { DiagnosticsSchema } from "./diagnostics-config-schema.js";
import { HooksConfigSchema } from "./hooks-config-schema.js";
import { LoggingSchema } from "./logging-config-schema.js";
import { MessagesConfigSchema } from "./messages-config-schema.js";
import { intBetween, positiveInt } from "./schema-numbers.js";
import { SecretValueSchema } from "./secret-value-schema.js";
import { SessionSchema } from "./session-config-schema.js";
import { StorageConfigSchema } from "./storage-config-schema.js";
import { ToolsSchema } from "./tools-config-schema.js";

/** The port the gateway listens on when neither `--port`, `OPENCLAW_GATEWAY_PORT` nor `gateway.port` says otherwise. */
export const DEFAULT_GATEWAY_PORT = 18789;

/** OpenClaw's built-in request-body limit of `POST /v1/responses` (20 MiB). */
export const DEFAULT_RESPONSES_MAX_BODY_BYTES = 20 * 1024 * 1024;

/**
 * Objects whose extra keys are theirs by design (agent defaults and agent entries carry many OpenClaw settings this
 * gateway passes through untouched), so the unknown-key report does not list what is inside them.
 */
const openSchemas = new WeakSet<z.ZodType>();

function open<T extends z.ZodType>(schema: T): T {
  openSchemas.add(schema);
  return schema;
}

/** Whether unknown keys under this schema are expected rather than worth a warning. */
export function isOpenSchema(schema: z.ZodType): boolean {
  return openSchemas.has(schema);
}

const RateLimitSchema = z
  .looseObject({
    maxAttempts: positiveInt().default(10).meta({ title: "Max failed attempts" }),
    windowMs: positiveInt().default(60_000).meta({ title: "Window (ms)" }),
    lockoutMs: z
      .int({ error: "expected an integer of 0 or more" })
      .min(0, { error: "expected an integer of 0 or more" })
      .default(300_000)
      .meta({ title: "Lockout (ms)" }),
    exemptLoopback: z.boolean().default(true).meta({ title: "Exempt loopback clients" }),
  })
  .meta({
    title: "Failed-auth rate limit",
    description: "Locks a client address out after too many failed credential checks.",
  });

const AuthModeSchema = z.enum(["token", "password", "none"], {
  error: (issue) =>
    issue.input === "trusted-proxy"
      ? '"trusted-proxy" is not supported by this gateway yet: use "token" or "password"'
      : 'expected "token", "password" or "none"',
});

const GatewayAuthSchema = z
  .looseObject({
    mode: AuthModeSchema.optional().meta({
      title: "Auth mode",
      description:
        'How clients prove who they are. Unset means "password" when only a password is configured, otherwise "token".',
    }),
    token: SecretValueSchema.optional().meta({
      title: "Gateway token",
      description: "Shared secret for token auth (or set OPENCLAW_GATEWAY_TOKEN).",
    }),
    password: SecretValueSchema.optional().meta({
      title: "Gateway password",
      description: "Shared secret for password auth (or set OPENCLAW_GATEWAY_PASSWORD).",
    }),
    scopes: z.array(z.enum(OPERATOR_SCOPES)).min(1).optional().meta({
      title: "Shared-credential scopes",
      description: "Narrows what the shared token or password grants. Unset grants every operator scope.",
    }),
    rateLimit: RateLimitSchema.prefault({}),
  })
  .meta({ title: "Authentication" });

const TailscaleSchema = z
  .looseObject({
    mode: z.enum(["off", "serve", "funnel"]).default("off").meta({ title: "Tailscale mode" }),
    resetOnExit: z.boolean().default(false).meta({ title: "Reset Serve/Funnel on exit" }),
  })
  .meta({ title: "Tailscale" });

const ControlUiSchema = z
  .looseObject({
    enabled: z.boolean().default(true).meta({ title: "Serve the Control UI" }),
    basePath: z
      .string()
      .regex(/^\/[^?#\s]*$/, { error: 'expected a path starting with "/", such as "/openclaw"' })
      .optional()
      .meta({
        title: "Base path",
        description: "URL prefix of the Control UI. Unset serves it at the root.",
      }),
    root: z.string().min(1).optional().meta({
      title: "Control UI folder",
      description:
        "Serve the built Control UI from this folder instead of the bundled one (e.g. OpenClaw's dist/control-ui).",
    }),
    allowedOrigins: z.array(z.string().min(1)).default([]).meta({
      title: "Allowed browser origins",
      description: "Origins allowed to open a WebSocket from a browser; needed for non-loopback origins.",
    }),
    dangerouslyAllowHostHeaderOriginFallback: z.boolean().default(false).meta({
      title: "Trust any Host header (dangerous)",
      description:
        "Answers any Host name and accepts a browser Origin equal to it. Turns off the DNS-rebinding defence; leave off.",
    }),
  })
  .meta({ title: "Control UI" });

const HttpEndpointsSchema = z
  .looseObject({
    chatCompletions: z
      .looseObject({
        enabled: z.boolean().default(false).meta({ title: "Enable POST /v1/chat/completions" }),
        maxBodyBytes: positiveInt()
          .default(DEFAULT_RESPONSES_MAX_BODY_BYTES)
          .meta({ title: "Max request body (bytes)" }),
      })
      .prefault({}),
    responses: z
      .looseObject({
        enabled: z.boolean().default(false).meta({ title: "Enable POST /v1/responses" }),
        maxBodyBytes: positiveInt()
          .default(DEFAULT_RESPONSES_MAX_BODY_BYTES)
          .meta({ title: "Max request body (bytes)" }),
      })
      .prefault({}),
  })
  .meta({ title: "OpenAI-compatible endpoints" });

const ReloadSchema = z
  .looseObject({
    mode: z
      .enum(["off", "hot", "restart", "hybrid"], { error: 'expected "off", "hot", "restart" or "hybrid"' })
      .default("hybrid")
      .meta({
        title: "Reload mode",
        description:
          'How edits to the config file are applied while running: "off" validates only (restart to apply), "hot" applies what it safely can and warns about the rest, "restart" restarts on any change, "hybrid" applies hot and restarts when required. A rotated gateway.auth.token or gateway.auth.password (same auth mode) always applies at once, whatever the mode.',
      }),
  })
  .meta({ title: "Config reload" });

const GatewaySchema = z
  .looseObject({
    port: intBetween(1, 65535).default(DEFAULT_GATEWAY_PORT).meta({
      title: "Port",
      description: "WebSocket + HTTP port. --port and OPENCLAW_GATEWAY_PORT take precedence.",
    }),
    mode: z.enum(["local", "remote"]).optional().meta({
      title: "Gateway mode",
      description: '"local" runs a gateway here; "remote" connects to one elsewhere.',
    }),
    bind: z
      .enum(["loopback", "lan", "tailnet", "auto", "custom"])
      .default("loopback")
      .meta({ title: "Bind", description: "Which interfaces to listen on." }),
    customBindHost: z
      .ipv4({ error: "expected an IPv4 address such as 192.168.1.10" })
      .optional()
      .meta({ title: "Custom bind address", description: 'The address used when bind is "custom".' }),
    auth: GatewayAuthSchema.prefault({}),
    tailscale: TailscaleSchema.prefault({}),
    controlUi: ControlUiSchema.prefault({}),
    http: z.looseObject({ endpoints: HttpEndpointsSchema.prefault({}) }).prefault({}),
    trustedProxies: z.array(z.string().min(1)).default([]).meta({
      title: "Trusted proxies",
      description: "Reverse-proxy addresses whose forwarded headers are believed.",
    }),
    reload: ReloadSchema.prefault({}),
    tools: GatewayHttpToolsConfigSchema.optional(),
    tls: z
      .looseObject({
        enabled: z.boolean().default(false).meta({ title: "Serve TLS (wss:// and https://)" }),
        certPath: z.string().min(1).optional().meta({ title: "Certificate (PEM) path" }),
        keyPath: z.string().min(1).optional().meta({ title: "Private key (PEM) path" }),
      })
      .optional()
      .meta({ title: "TLS" }),
  })
  .meta({ title: "Gateway" });

const PluginsSchema = z
  .looseObject({
    load: z
      .looseObject({ paths: z.array(z.string().min(1)).default([]).meta({ title: "Plugin paths" }) })
      .optional(),
    entries: z
      .record(z.string(), open(z.looseObject({ enabled: z.boolean().optional() })))
      .optional()
      .meta({ title: "Plugin packages", description: "plugins.entries.<npm package>: { enabled }" }),
  })
  .meta({ title: "Plugins" });

const SkillsSchema = z
  .looseObject({
    entries: z
      .record(
        z.string(),
        open(
          z.looseObject({
            enabled: z.boolean().optional(),
            apiKey: SecretValueSchema.optional(),
            env: z.record(z.string(), z.string()).optional(),
          }),
        ),
      )
      .optional()
      .meta({
        title: "Skill settings",
        description:
          "skills.entries.<skill>: { enabled, apiKey, env }; enabled: false keeps a skill from the agent.",
      }),
  })
  .meta({ title: "Skills" });

function checkAcrossFields(
  config: { gateway: z.infer<typeof GatewaySchema>; agents: z.infer<typeof AgentsSchema> },
  ctx: z.RefinementCtx,
): void {
  const auth = config.gateway.auth;
  if (auth.mode === undefined && auth.token !== undefined && auth.password !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["gateway", "auth", "mode"],
      message:
        'both gateway.auth.token and gateway.auth.password are set, so the mode is ambiguous: set gateway.auth.mode to "token" or "password"',
    });
  }
  const seen = new Set<string>();
  for (const [index, agent] of (config.agents.list ?? []).entries()) {
    const id = agent.id.toLowerCase();
    if (seen.has(id)) {
      ctx.addIssue({
        code: "custom",
        path: ["agents", "list", index, "id"],
        message: `agent id "${agent.id}" is used twice: give each agent its own id`,
      });
    }
    seen.add(id);
  }
}

/**
 * The schema of `openclaw.json`. Parsing applies every default; sections and keys it does not model are kept
 * verbatim (objects are loose), so an OpenClaw config round-trips. Unknown keys are reported as warnings by the
 * loader, not here.
 */
export const OpenClawConfigSchema = z
  .looseObject({
    $schema: z.string().optional(),
    gateway: GatewaySchema.prefault({}),
    agents: AgentsSchema.prefault({}),
    session: SessionSchema.prefault({}),
    logging: LoggingSchema.prefault({}),
    tools: ToolsSchema.prefault({}),
    cron: CronSchema.prefault({}),
    diagnostics: DiagnosticsSchema.prefault({}),
    // Owned by the agent runtime: providers, their APIs and models.
    models: ModelsConfigSchema.optional().meta({ title: "Model providers" }),
    // Each channel's section is validated by its plugin's own schema when the channel starts.
    channels: z
      // A channel's keys belong to its plugin (checked by the plugin's schema at start), so none is "unknown" here.
      .record(z.string(), open(z.looseObject({ enabled: z.boolean().optional() })))
      .optional()
      .meta({ title: "Channels", description: "channels.<id>: one section per channel plugin." }),
    plugins: PluginsSchema.optional(),
    skills: open(SkillsSchema).optional(),
    hooks: HooksConfigSchema.optional(),
    commands: CommandsConfigSchema.optional(),
    messages: MessagesConfigSchema.optional(),
    bindings: BindingsConfigSchema.optional(),
    auth: AuthConfigSchema.optional(),
    secrets: SecretsConfigSchema.optional(),
    // The driver's own options sit beside `driver`: they are its to check, not unknown keys.
    storage: open(StorageConfigSchema).optional(),
    // Read by @openclaw/browser (composed by @openclaw/gateway) when a browser action runs.
    browser: BrowserConfigSchema.optional(),
    // OpenClaw's older canvas host section; read by the canvas host (canvas/canvas-host-settings.ts).
    canvasHost: CanvasHostConfigSchema.optional(),
  })
  .superRefine(checkAcrossFields);

/** A parsed config with every default applied. Sections this gateway does not model stay as `unknown`. */
export type OpenClawConfig = z.infer<typeof OpenClawConfigSchema>;

export type { AgentConfigEntry } from "./agents-config-schema.js";
