import { readFileSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import type { ProviderCredentials } from "@openclaw/agent";
import {
  AuthConfigSchema,
  type SecretsConfig,
  SecretsConfigSchema,
} from "../config/auth-profiles-config-schema.js";
import type { OpenClawConfig } from "../config/config-schema.js";
import { listConfiguredAgents } from "../config/configured-agents.js";
import type { SecretRef } from "../config/secret-value-schema.js";
import type { Logger } from "../logging/logger.js";
import { AuthProfileStoreReader, type StoredCredential } from "./auth-profile-store.js";

export interface ModelCredentialsOptions {
  config: () => OpenClawConfig;
  stateDir: string;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  now?: () => number;
}

/**
 * Model provider keys beyond literal config values, with OpenClaw's meaning: SecretRefs (`{ source: "env" | "file",
 * provider, id }`, resolved through `secrets.providers`) and auth profiles: `auth.order.<provider>` (else the
 * store's own order, else every profile of that provider) picks the first usable api_key or token profile of the
 * agent's profile store. Problems are logged once each, without the secret.
 */
export function createModelCredentials(o: ModelCredentialsOptions): ProviderCredentials {
  const stores = new AuthProfileStoreReader();
  const files = new Map<string, { stamp: string; text: string }>();
  const reported = new Set<string>();
  const now = o.now ?? Date.now;
  const warnOnce = (message: string, fields: Record<string, unknown> = {}) => {
    if (reported.has(message)) return;
    if (reported.size > 1_000) reported.clear();
    reported.add(message);
    o.logger.warn(message, fields);
  };

  const secrets = (): SecretsConfig => {
    const parsed = SecretsConfigSchema.safeParse((o.config() as { secrets?: unknown }).secrets ?? {});
    return parsed.success ? parsed.data : {};
  };

  function readSecretFile(path: string): string | undefined {
    const full = expandHome(path, o.env);
    try {
      const stat = statSync(full);
      const stamp = `${stat.mtimeMs}:${stat.size}`;
      const cached = files.get(full);
      if (cached?.stamp === stamp) return cached.text;
      const text = readFileSync(full, "utf8");
      files.set(full, { stamp, text });
      return text;
    } catch (error) {
      warnOnce(`secrets file ${full} is not readable: keys it holds stay unset`, {
        code: (error as NodeJS.ErrnoException).code,
      });
      return undefined;
    }
  }

  function resolveRef(
    ref: SecretRef | { source: string; provider?: string; id: string },
  ): string | undefined {
    const config = secrets();
    const providerName =
      ref.provider ?? config.defaults?.[ref.source as "env" | "file" | "exec"] ?? "default";
    const provider = config.providers?.[providerName];
    if (ref.source === "env" && (provider === undefined || provider.source === "env")) return o.env[ref.id];
    if (ref.source === "file" && provider?.source === "file") {
      const text = readSecretFile(provider.path);
      if (text === undefined) return undefined;
      if (provider.mode === "singleValue") return text.trim();
      return readJsonPointer(text, ref.id, (problem) =>
        warnOnce(`secrets file ${provider.path}: ${problem}`),
      );
    }
    warnOnce(
      ref.source === "exec" || ref.source === "store"
        ? `a secret reference with source "${ref.source}" is not supported by this gateway: the key stays unset; use source "env" or "file"`
        : `secret reference names secrets.providers.${providerName}, which is not a ${ref.source} provider: the key stays unset`,
    );
    return undefined;
  }

  function credentialKey(id: string, credential: StoredCredential): string | undefined {
    if (credential.type === "api_key")
      return credential.key || (credential.keyRef && resolveRef(credential.keyRef));
    if (credential.type === "token") {
      if (credential.expires !== undefined && credential.expires > 0 && credential.expires <= now()) {
        warnOnce(`auth profile "${id}" has expired: it is skipped`);
        return undefined;
      }
      return credential.token || (credential.tokenRef && resolveRef(credential.tokenRef));
    }
    warnOnce(
      `auth profile "${id}" is an ${credential.type} profile: not supported by this gateway (it is skipped); add an api_key profile or set the provider's key`,
    );
    return undefined;
  }

  function profileKey(providerId: string, agentId: string): string | undefined {
    const parsedAuth = AuthConfigSchema.safeParse((o.config() as { auth?: unknown }).auth ?? {});
    const auth = parsedAuth.success ? parsedAuth.data : {};
    const store = stores.read(agentDirOf(o.config(), agentId, o.stateDir, o.env));
    for (const problem of store.problems) warnOnce(problem);
    const ofProvider = (ids: Iterable<string>, providerOf: (id: string) => string | undefined) =>
      [...ids].filter((id) => providerOf(id) === providerId);
    const order = auth.order?.[providerId] ??
      store.order[providerId] ?? [
        ...new Set([
          ...ofProvider(Object.keys(auth.profiles ?? {}), (id) => auth.profiles?.[id]?.provider),
          ...ofProvider(Object.keys(store.profiles).sort(), (id) => store.profiles[id]?.provider),
        ]),
      ];
    for (const id of order) {
      const credential = store.profiles[id];
      if (!credential) continue;
      const provider = credential.provider ?? auth.profiles?.[id]?.provider;
      if (provider !== undefined && provider !== providerId) continue;
      const key = credentialKey(id, credential);
      if (key) return key;
    }
    return undefined;
  }

  return { resolveRef, profileKey };
}

/** `agents.entries.<id>.agentDir` (or the list entry's), else OpenClaw's `<stateDir>/agents/<id>/agent`. */
export function agentDirOf(
  config: OpenClawConfig,
  agentId: string,
  stateDir: string,
  env: NodeJS.ProcessEnv,
): string {
  const configured = listConfiguredAgents(config).find(
    (agent) => agent.id.toLowerCase() === agentId.toLowerCase(),
  )?.agentDir;
  if (configured) return expandHome(configured, env);
  return join(stateDir, "agents", agentId, "agent");
}

function expandHome(path: string, env: NodeJS.ProcessEnv): string {
  const home = env.HOME ?? homedir();
  const expanded = path === "~" ? home : path.startsWith("~/") ? join(home, path.slice(2)) : path;
  return isAbsolute(expanded) ? expanded : resolve(expanded);
}

/** RFC 6901: `/providers/openai/apiKey` in a JSON document; only a string value counts. */
function readJsonPointer(
  text: string,
  pointer: string,
  report: (problem: string) => void,
): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    report("not valid JSON");
    return undefined;
  }
  if (!pointer.startsWith("/")) {
    report(`the secret id "${pointer}" is not a JSON pointer (it starts with "/")`);
    return undefined;
  }
  for (const raw of pointer.slice(1).split("/")) {
    const part = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (typeof value !== "object" || value === null || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return typeof value === "string" ? value : undefined;
}
