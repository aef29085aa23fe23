import type { OpenClawConfig } from "@openclaw/gateway";
import { check, type DoctorCheck } from "./doctor-check.js";

interface ProviderTarget {
  id: string;
  api: string;
  baseUrl: string;
  apiKey: string | undefined;
  headers: Record<string, string>;
  /** Set when the key comes from a secret reference doctor does not read (a file or exec provider). */
  unreadRef?: string;
}

/** The config's `apiKey`: a literal, a `${ENV}` reference, or an OpenClaw SecretRef object. */
type ConfiguredKey = string | { source: string; provider?: string; id: string } | undefined;

/** Same defaults as the agent runtime: with no provider configured, an OpenAI or Anthropic key in the env is one. */
const IMPLICIT_PROVIDERS = [
  { id: "openai", envKey: "OPENAI_API_KEY", api: "openai-responses", baseUrl: "https://api.openai.com/v1" },
  {
    id: "anthropic",
    envKey: "ANTHROPIC_API_KEY",
    api: "anthropic-messages",
    baseUrl: "https://api.anthropic.com/v1",
  },
] as const;

const ENV_REFERENCE = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

function resolveApiKey(configured: ConfiguredKey, api: string, env: NodeJS.ProcessEnv) {
  if (typeof configured === "object")
    return configured.source === "env" ? env[configured.id] || undefined : undefined;
  if (configured !== undefined && configured !== "") {
    const name = ENV_REFERENCE.exec(configured)?.[1];
    return name === undefined ? configured : env[name] || undefined;
  }
  return env[api === "anthropic-messages" ? "ANTHROPIC_API_KEY" : "OPENAI_API_KEY"] || undefined;
}

function authHeaders(target: ProviderTarget): Record<string, string> {
  if (target.apiKey === undefined) return target.headers;
  const auth: Record<string, string> =
    target.api === "anthropic-messages"
      ? { "x-api-key": target.apiKey, "anthropic-version": "2023-06-01" }
      : { authorization: `Bearer ${target.apiKey}` };
  return { ...auth, ...target.headers };
}

/** `<baseUrl>/models` (query kept), and the same URL as shown to people: no user-info or query, where a key could hide. */
function modelsUrl(baseUrl: string): { url: string; shown: string } {
  try {
    const parsed = new URL(baseUrl);
    parsed.pathname = `${parsed.pathname.replace(/\/+$/, "")}/models`;
    return { url: parsed.href, shown: `${parsed.origin}${parsed.pathname}` };
  } catch {
    return { url: baseUrl, shown: "(an invalid URL)" };
  }
}

function describeFailure(error: unknown, url: string, shown: string): string {
  if ((error as Error).name === "TimeoutError") return "timed out";
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const reason = cause?.code ?? cause?.message ?? (error as Error).message;
  return reason.split(url).join(shown);
}

async function probeProvider(target: ProviderTarget, timeoutMs: number): Promise<DoctorCheck> {
  const id = `provider:${target.id}`;
  const { url, shown } = modelsUrl(target.baseUrl);
  let status: number;
  try {
    const response = await fetch(url, {
      headers: authHeaders(target),
      signal: AbortSignal.timeout(timeoutMs),
    });
    status = response.status;
    await response.body?.cancel();
  } catch (error) {
    return check(
      id,
      "error",
      `provider "${target.id}" is unreachable at ${shown}: ${describeFailure(error, url, shown)}`,
      `start the model server or correct models.providers.${target.id}.baseUrl`,
    );
  }
  if (status >= 200 && status < 300) {
    return check(id, "ok", `provider "${target.id}" is reachable (GET ${shown}: HTTP ${status})`);
  }
  if (status === 401 || status === 403) {
    return check(
      id,
      "error",
      `provider "${target.id}" rejected the API key (GET ${shown}: HTTP ${status})`,
      `set a valid key in models.providers.${target.id}.apiKey (or its \${VAR})`,
    );
  }
  return check(
    id,
    "warn",
    `provider "${target.id}" answered GET ${shown} with HTTP ${status}`,
    `check models.providers.${target.id}.baseUrl (it usually ends in /v1)`,
  );
}

function providerTargets(config: OpenClawConfig, env: NodeJS.ProcessEnv): ProviderTarget[] {
  const configured = Object.entries(config.models?.providers ?? {});
  if (configured.length === 0) {
    return IMPLICIT_PROVIDERS.filter((implicit) => env[implicit.envKey]).map((implicit) => ({
      id: implicit.id,
      api: implicit.api,
      baseUrl: implicit.baseUrl,
      apiKey: env[implicit.envKey],
      headers: {},
    }));
  }
  return configured.flatMap(([id, provider]) => {
    const api = provider.api ?? "openai-completions";
    const baseUrl = provider.baseUrl ?? IMPLICIT_PROVIDERS.find((implicit) => implicit.id === id)?.baseUrl;
    if (baseUrl === undefined) return [];
    const configured = provider.apiKey as ConfiguredKey;
    const unreadRef =
      typeof configured === "object" && configured.source !== "env" ? configured.source : undefined;
    return [
      {
        id,
        api,
        baseUrl,
        apiKey: resolveApiKey(configured, api, env),
        headers: provider.headers ?? {},
        ...(unreadRef ? { unreadRef } : {}),
      },
    ];
  });
}

/** A GET of `<baseUrl>/models` per provider, in parallel, each under `timeoutMs`. The key is sent, never shown. */
export async function checkProviders(
  config: OpenClawConfig,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<DoctorCheck[]> {
  const targets = providerTargets(config, env);
  if (targets.length === 0) {
    return [
      check(
        "providers",
        "warn",
        "no model provider is configured: agents cannot answer",
        "`openclaw config --section models`",
      ),
    ];
  }
  return Promise.all(
    targets.map((target) =>
      target.unreadRef
        ? check(
            `provider:${target.id}`,
            "skipped",
            `${target.id}: its key comes from a "${target.unreadRef}" secret reference, which doctor does not read; the gateway resolves it when a run needs it`,
          )
        : probeProvider(target, timeoutMs),
    ),
  );
}
