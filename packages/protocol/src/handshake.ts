import { z } from "zod";
import { boundedJson, boundedLooseObject } from "./bounded-schemas.js";
import { StateVersionSchema } from "./frames.js";
import { LIMITS } from "./limits.js";
import { HealthResultSchema, PresenceEntrySchema } from "./methods/system.js";
import { PRE_AUTH_MAX_PAYLOAD } from "./version.js";

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

const id = z.string().min(1).max(LIMITS.idChars);
const secret = z.string().max(LIMITS.secretChars);
const scopes = z.array(z.string().min(1).max(LIMITS.idChars)).max(LIMITS.scopes);

export const ClientInfoSchema = boundedLooseObject({
  id,
  displayName: id.optional(),
  version: id,
  platform: id,
  mode: id,
  instanceId: id.optional(),
});
export type ClientInfo = z.infer<typeof ClientInfoSchema>;

export const ConnectAuthSchema = boundedLooseObject({
  token: secret.optional(),
  password: secret.optional(),
  deviceToken: secret.optional(),
  bootstrapToken: secret.optional(),
});

/**
 * `connect` params. Unknown fields are tolerated so newer clients can still connect. This is parsed before
 * authentication, so every part of it is bounded (see {@link LIMITS}).
 */
export const ConnectParamsSchema = boundedLooseObject({
  minProtocol: z.int().min(1),
  maxProtocol: z.int().min(1),
  client: ClientInfoSchema,
  caps: z.array(z.string().max(LIMITS.idChars)).max(LIMITS.caps).optional(),
  /** A node's commands (OpenClaw's field), read when it asks to be paired. */
  commands: z.array(z.string().max(LIMITS.idChars)).max(LIMITS.caps).optional(),
  role: id.optional(),
  scopes: scopes.optional(),
  auth: ConnectAuthSchema.optional(),
  device: boundedJson().optional(),
  locale: z.string().max(LIMITS.idChars).optional(),
  // A pre-auth frame is at most 64 KiB; a user agent may take all of it.
  userAgent: z.string().max(PRE_AUTH_MAX_PAYLOAD).optional(),
});
export type ConnectParams = z.infer<typeof ConnectParamsSchema>;

/** The quickstart's `auth` method: `{ token }` or `{ password }`, treated as a `connect` with defaults. */
export const AuthAliasParamsSchema = boundedLooseObject({
  token: secret.optional(),
  password: secret.optional(),
  scopes: scopes.optional(),
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
  features: z.object({
    methods: z.array(z.string().min(1)),
    events: z.array(z.string().min(1)),
    /** Named behaviours beyond the method list that OpenClaw's clients check before using a feature. */
    capabilities: z.array(z.string().min(1)).optional(),
  }),
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
  auth: z.object({
    role: z.string().min(1),
    scopes: z.array(z.string().min(1)),
    /** Issued to a paired device with a verified identity: its reusable credential for this role. */
    deviceToken: z.string().min(1).optional(),
  }),
  policy: z.object({
    maxPayload: z.int().min(1),
    maxBufferedBytes: z.int().min(1),
    tickIntervalMs: z.int().min(1),
    /** Decoded-size ceilings of one `chat.send` attachment (OpenClaw's shape); a ceiling, not a promise the frame fits. */
    attachments: z.object({ maxBytes: z.int().min(1), maxImageBytes: z.int().min(1) }).optional(),
  }),
});
export type HelloOk = z.infer<typeof HelloOkSchema>;
