import { z } from "zod";
import { StateVersionSchema } from "./frames.js";
import { HealthResultSchema, PresenceEntrySchema } from "./methods/system.js";

export const CLIENT_IDS = [
  "webchat-ui",
  "openclaw-control-ui",
  "openclaw-tui",
  "webchat",
  "cli",
  "gateway-client",
  "openclaw-macos",
  "openclaw-linux",
  "openclaw-ios",
  "openclaw-android",
  "node-host",
  "test",
  "openclaw-probe",
] as const;
export const CLIENT_MODES = ["webchat", "cli", "ui", "backend", "node", "probe", "test"] as const;

export const ClientInfoSchema = z.looseObject({
  id: z.string().min(1),
  displayName: z.string().min(1).optional(),
  version: z.string().min(1),
  platform: z.string().min(1),
  mode: z.string().min(1),
  instanceId: z.string().min(1).optional(),
});
export type ClientInfo = z.infer<typeof ClientInfoSchema>;

export const ConnectAuthSchema = z.looseObject({
  token: z.string().optional(),
  password: z.string().optional(),
  deviceToken: z.string().optional(),
  bootstrapToken: z.string().optional(),
});

/** `connect` params. Unknown fields are tolerated so newer clients can still connect. */
export const ConnectParamsSchema = z.looseObject({
  minProtocol: z.int().min(1),
  maxProtocol: z.int().min(1),
  client: ClientInfoSchema,
  caps: z.array(z.string()).optional(),
  role: z.string().min(1).optional(),
  scopes: z.array(z.string().min(1)).optional(),
  auth: ConnectAuthSchema.optional(),
  device: z.unknown().optional(),
  locale: z.string().optional(),
  userAgent: z.string().optional(),
});
export type ConnectParams = z.infer<typeof ConnectParamsSchema>;

/** The quickstart's `auth` method: `{ token }` or `{ password }`, treated as a `connect` with defaults. */
export const AuthAliasParamsSchema = z.looseObject({
  token: z.string().optional(),
  password: z.string().optional(),
  scopes: z.array(z.string().min(1)).optional(),
});
export type AuthAliasParams = z.infer<typeof AuthAliasParamsSchema>;

export const ConnectChallengeSchema = z.object({ nonce: z.string(), ts: z.int().min(0) });
export type ConnectChallenge = z.infer<typeof ConnectChallengeSchema>;

export const SessionDefaultsSchema = z.object({
  defaultAgentId: z.string().min(1),
  mainKey: z.string().min(1),
  mainSessionKey: z.string().min(1),
  scope: z.string().min(1).optional(),
});

export const HelloOkSchema = z.object({
  type: z.literal("hello-ok"),
  protocol: z.int().min(1),
  server: z.object({ version: z.string().min(1), connId: z.string().min(1) }),
  features: z.object({ methods: z.array(z.string().min(1)), events: z.array(z.string().min(1)) }),
  snapshot: z.object({
    presence: z.array(PresenceEntrySchema),
    // Other gateways put more (or less) in their health snapshot; clients must not choke on it.
    health: HealthResultSchema.partial().loose(),
    stateVersion: StateVersionSchema,
    uptimeMs: z.int().min(0),
    configPath: z.string().min(1).optional(),
    stateDir: z.string().min(1).optional(),
    authMode: z.enum(["none", "token", "password"]).optional(),
    sessionDefaults: SessionDefaultsSchema.optional(),
  }),
  auth: z.object({ role: z.string().min(1), scopes: z.array(z.string().min(1)) }),
  policy: z.object({
    maxPayload: z.int().min(1),
    maxBufferedBytes: z.int().min(1),
    tickIntervalMs: z.int().min(1),
  }),
});
export type HelloOk = z.infer<typeof HelloOkSchema>;
