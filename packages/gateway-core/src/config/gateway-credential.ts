import { randomBytes } from "node:crypto";
import type { Stats } from "node:fs";
import { type FileHandle, open, stat } from "node:fs/promises";
import { ConfigError } from "./config-error.js";
import type { ConfigPaths } from "./config-paths.js";
import { DEFAULT_GATEWAY_PORT, type OpenClawConfig } from "./config-schema.js";
import { readConfigFile } from "./load-config.js";
import { checkConfigDocument, readConfigDocument } from "./parse-config-text.js";
import { isPlainObject } from "./plain-object.js";
import { writeConfigFile } from "./write-config-file.js";

/** The shared credential clients must present, and where it came from (for logs; never log `secret`). */
export interface ResolvedGatewayCredential {
  mode: "token" | "password" | "none";
  secret?: string;
  source: "flag" | "env" | "env-file" | "config" | "generated" | "none";
}

type CredentialKind = "token" | "password";

const ENV_NAMES: Record<CredentialKind, { value: string; file: string; flag: string }> = {
  token: { value: "OPENCLAW_GATEWAY_TOKEN", file: "OPENCLAW_GATEWAY_TOKEN_FILE", flag: "--token" },
  password: {
    value: "OPENCLAW_GATEWAY_PASSWORD",
    file: "OPENCLAW_GATEWAY_PASSWORD_FILE",
    flag: "--password",
  },
};

const ENV_REFERENCE = /\$\$\{[A-Z_][A-Z0-9_]*\}|\$\{([A-Z_][A-Z0-9_]*)\}/g;

/** 64 lowercase hex characters from 32 random bytes: the token `openclaw` mints when none is configured. */
export function generateGatewayToken(): string {
  return randomBytes(32).toString("hex");
}

function present(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** Replaces `${VAR}` with the environment's value (`$${VAR}` stays a literal `${VAR}`), as OpenClaw does. */
function substituteEnv(text: string, path: string, env: NodeJS.ProcessEnv): string {
  return text.replace(ENV_REFERENCE, (match: string, name: string | undefined) => {
    if (name === undefined) return match.slice(1);
    const value = env[name];
    if (!value) {
      throw new ConfigError(
        "CONFIG_INVALID",
        `${path} refers to \${${name}}, which is not set in the environment: export ${name} or write the value in the config`,
        { issues: [{ path, message: `refers to \${${name}}, which is not set` }] },
      );
    }
    return value;
  });
}

/** The configured secret as a string: plain text, `${VAR}` substituted, or an env SecretRef looked up. */
function configuredSecret(value: unknown, kind: CredentialKind, env: NodeJS.ProcessEnv): string | undefined {
  const path = `gateway.auth.${kind}`;
  if (typeof value === "string") return present(substituteEnv(value, path, env));
  if (!isPlainObject(value)) return undefined;
  if (value.source !== "env" || typeof value.id !== "string") {
    const message = `a "${String(value.source)}" secret reference is not supported by this gateway yet: use { source: "env", id: "VAR" } or ${ENV_NAMES[kind].value}`;
    throw new ConfigError("CONFIG_INVALID", `${path}: ${message}`, { issues: [{ path, message }] });
  }
  const resolved = present(env[value.id]);
  if (resolved === undefined) {
    const message = `refers to the environment variable ${value.id}, which is not set: export it or change the reference`;
    throw new ConfigError("CONFIG_INVALID", `${path} ${message}`, { issues: [{ path, message }] });
  }
  return resolved;
}

/** A token or password is a line of text; anything bigger is the wrong file, so it is never read whole. */
export const MAX_SECRET_FILE_BYTES = 64 * 1024;

function secretFileError(
  code: "CONFIG_IO" | "CONFIG_INVALID",
  envName: string,
  file: string,
  problem: string,
  fix: string,
  cause?: unknown,
): ConfigError {
  return new ConfigError(code, `${envName} points to ${file}, which ${problem}: ${fix}`, {
    issues: [{ path: "", message: `${envName}: ${file} ${problem}` }],
    cause,
  });
}

/**
 * Reads a secret file named by `envName`: a regular file of at most {@link MAX_SECRET_FILE_BYTES}, not readable or
 * writable by group or others (except on Windows, which has no such mode bits), holding the secret (trimmed).
 */
async function readSecretFile(file: string, envName: string): Promise<string> {
  const unreadable = (error: unknown) =>
    secretFileError(
      "CONFIG_IO",
      envName,
      file,
      `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      `fix the path or its permissions, or unset ${envName}`,
      error,
    );
  // stat first: opening a FIFO for reading would block until something writes to it.
  let info: Stats;
  try {
    info = await stat(file);
  } catch (error) {
    throw unreadable(error);
  }
  if (!info.isFile()) {
    throw secretFileError(
      "CONFIG_INVALID",
      envName,
      file,
      "is not a regular file",
      "point it at a file holding only the secret",
    );
  }
  let handle: FileHandle;
  try {
    handle = await open(file, "r");
  } catch (error) {
    throw unreadable(error);
  }
  try {
    const opened = await handle.stat();
    const mode = opened.mode & 0o777;
    if (process.platform !== "win32" && (mode & 0o077) !== 0) {
      throw secretFileError(
        "CONFIG_INVALID",
        envName,
        file,
        `other users can access (mode ${mode.toString(8).padStart(4, "0")})`,
        `run \`chmod 600 ${file}\` (a Docker or Kubernetes secret: mount it with mode 0400)`,
      );
    }
    const buffer = Buffer.alloc(MAX_SECRET_FILE_BYTES + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead > MAX_SECRET_FILE_BYTES) {
      throw secretFileError(
        "CONFIG_INVALID",
        envName,
        file,
        `is larger than ${MAX_SECRET_FILE_BYTES} bytes`,
        "it should hold only the secret",
      );
    }
    const secret = present(buffer.toString("utf8", 0, bytesRead));
    if (secret === undefined) {
      throw secretFileError("CONFIG_INVALID", envName, file, "is empty", "write the secret into it");
    }
    return secret;
  } finally {
    await handle.close();
  }
}

interface CandidateSources {
  flag: string | undefined;
  env: NodeJS.ProcessEnv;
  configValue: unknown;
}

function isConfigured(kind: CredentialKind, sources: CandidateSources): boolean {
  const names = ENV_NAMES[kind];
  return (
    present(sources.flag) !== undefined ||
    present(sources.env[names.value]) !== undefined ||
    present(sources.env[names.file]) !== undefined ||
    (typeof sources.configValue === "string"
      ? present(sources.configValue) !== undefined
      : sources.configValue !== undefined)
  );
}

async function resolveSecret(
  kind: CredentialKind,
  sources: CandidateSources,
): Promise<{ secret: string; source: ResolvedGatewayCredential["source"] } | undefined> {
  const names = ENV_NAMES[kind];
  const flag = present(sources.flag);
  if (flag !== undefined) return { secret: flag, source: "flag" };
  const fromEnv = present(sources.env[names.value]);
  if (fromEnv !== undefined) return { secret: fromEnv, source: "env" };
  const file = present(sources.env[names.file]);
  if (file !== undefined) return { secret: await readSecretFile(file, names.file), source: "env-file" };
  const fromConfig = configuredSecret(sources.configValue, kind, sources.env);
  if (fromConfig !== undefined) return { secret: fromConfig, source: "config" };
  return undefined;
}

/**
 * Works out the shared credential. Token precedence: `flagToken`, `OPENCLAW_GATEWAY_TOKEN`,
 * `OPENCLAW_GATEWAY_TOKEN_FILE` (file contents, trimmed), `gateway.auth.token` (plain, `${VAR}`, or an env
 * SecretRef). Password likewise with `flagPassword`, `OPENCLAW_GATEWAY_PASSWORD`, `OPENCLAW_GATEWAY_PASSWORD_FILE`,
 * `gateway.auth.password`. Mode: `flagMode`, else `gateway.auth.mode`, else the kind of the flag given, else
 * "password" when only a password is configured, else "token".
 *
 * A token mode with no token gives `source: "none"` and no secret, unless `generateIfMissing` asks for a fresh,
 * unsaved token (`source: "generated"`). Throws {@link ConfigError} when a secret file cannot be read, is empty, is
 * over {@link MAX_SECRET_FILE_BYTES} or can be read by other users (it must be `chmod 600`), or a reference points at
 * an unset variable, so a broken setup never falls back to a weaker credential.
 */
export async function resolveGatewayCredential(o: {
  config: OpenClawConfig;
  env?: NodeJS.ProcessEnv;
  flagToken?: string;
  flagPassword?: string;
  flagMode?: "token" | "password" | "none";
  generateIfMissing?: boolean;
}): Promise<ResolvedGatewayCredential> {
  const env = o.env ?? process.env;
  const auth = o.config.gateway.auth;
  const token: CandidateSources = { flag: o.flagToken, env, configValue: auth.token };
  const password: CandidateSources = { flag: o.flagPassword, env, configValue: auth.password };
  const mode =
    o.flagMode ??
    auth.mode ??
    (present(o.flagToken) !== undefined
      ? "token"
      : present(o.flagPassword) !== undefined
        ? "password"
        : isConfigured("password", password) && !isConfigured("token", token)
          ? "password"
          : "token");
  if (mode === "none") return { mode, source: "none" };
  const resolved = await resolveSecret(mode, mode === "token" ? token : password);
  if (resolved) return { mode, ...resolved };
  if (mode === "token" && o.generateIfMissing)
    return { mode, secret: generateGatewayToken(), source: "generated" };
  return { mode, source: "none" };
}

/**
 * Makes sure the config file holds a gateway token, minting one (see {@link generateGatewayToken}) when
 * `gateway.auth.token` is unset and storing it with `gateway.auth.mode: "token"` if no mode is set (or "password"
 * when a password is already configured, so adding a token never changes how clients sign in). Every other key of
 * the file is kept; the file is rewritten as JSON (comments are not preserved), atomically, mode 0600. Idempotent:
 * a configured token is returned as is (`${VAR}` and env references resolved). Refuses to touch an invalid file.
 */
export async function ensureGatewayToken(
  paths: ConfigPaths,
  o: { env?: NodeJS.ProcessEnv } = {},
): Promise<{ token: string; created: boolean }> {
  const raw = (await readConfigFile(paths.configPath)) ?? "";
  const { document } = readConfigDocument(raw, paths.configPath);
  const { config } = checkConfigDocument(document, paths.configPath);
  const existing = configuredSecret(config.gateway.auth.token, "token", o.env ?? process.env);
  if (existing !== undefined) return { token: existing, created: false };

  const token = generateGatewayToken();
  const gateway = isPlainObject(document.gateway) ? document.gateway : {};
  const auth = isPlainObject(gateway.auth) ? gateway.auth : {};
  const mode = auth.mode ?? (auth.password === undefined ? "token" : "password");
  const next = { ...document, gateway: { ...gateway, auth: { ...auth, mode, token } } };
  await writeConfigFile(paths.configPath, next);
  return { token, created: true };
}

/**
 * The port to listen on. Precedence: `flagPort`, `OPENCLAW_GATEWAY_PORT`, `gateway.port`, {@link DEFAULT_GATEWAY_PORT}.
 * Throws `CONFIG_INVALID` for a flag or variable that is not a port number.
 */
export function resolveGatewayPort(o: {
  config: OpenClawConfig;
  env?: NodeJS.ProcessEnv;
  flagPort?: number | string;
}): number {
  const env = o.env ?? process.env;
  const candidates: [string, number | string | undefined][] = [
    ["--port", o.flagPort],
    ["OPENCLAW_GATEWAY_PORT", present(env.OPENCLAW_GATEWAY_PORT)],
  ];
  for (const [name, value] of candidates) {
    if (value === undefined || value === "") continue;
    const port = typeof value === "number" ? value : /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      const message = `expected an integer between 1 and 65535 (got ${JSON.stringify(value)})`;
      throw new ConfigError(
        "CONFIG_INVALID",
        `${name}: ${message} — for example ${name === "--port" ? "--port " : "OPENCLAW_GATEWAY_PORT="}${DEFAULT_GATEWAY_PORT}`,
        {
          issues: [{ path: name, message }],
        },
      );
    }
    return port;
  }
  return o.config.gateway.port;
}
