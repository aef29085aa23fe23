import { ConfigError, type ConfigIssue } from "./config-error.js";
import { isPlainObject, setOwn } from "./plain-object.js";

/** What every secret is replaced with in config handed to clients. Writing it back keeps the stored secret. */
export const REDACTED_SECRET = "__OPENCLAW_REDACTED__";

const SECRET_KEY =
  /(token|password|passwd|passphrase|secret|api[-_]?key|private[-_]?key|access[-_]?key|encrypt(ion)?[-_]?key|authorization|cookie|credentials?)$/i;

/** A `${VAR}` reference names where a secret lives without revealing it, so it is shown as written. */
const ENV_REFERENCE = /^\$\{[A-Z_][A-Z0-9_]*\}$/;

/**
 * Whether a key holds a secret: `token`, `botToken`, `password`, `apiKey`, `signingSecret`, `clientSecret` and the
 * like. Matches on the end of the key, so `maxTokens` or `tokenFile` are not secrets.
 */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

function redactValue(value: unknown, secret: boolean): unknown {
  if (typeof value === "string") {
    return secret && value !== "" && !ENV_REFERENCE.test(value) ? REDACTED_SECRET : value;
  }
  if (Array.isArray(value)) return value.map((item) => redactValue(item, secret));
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    // Inline env vars (`env.vars`, or flat `env`) are API keys under arbitrary names; everything under a secret
    // key is secret too, however deep.
    const holdsSecrets = secret || isSecretKey(key) || key === "vars" || key === "env";
    setOwn(out, key, redactValue(item, holdsSecrets && !isSecretReference(item)));
  }
  return out;
}

/** An OpenClaw SecretRef (`{ source, id }`) points at a secret and is safe to show. */
function isSecretReference(value: unknown): boolean {
  return isPlainObject(value) && typeof value.source === "string" && typeof value.id === "string";
}

/**
 * A deep copy of `config` with every secret string replaced by {@link REDACTED_SECRET}: values under secret-looking
 * keys (see {@link isSecretKey}) and inline env vars. `${VAR}` references and SecretRef objects are kept, since
 * they reveal nothing. Anything that is not an object gives `{}`.
 */
export function redactConfig(config: unknown): Record<string, unknown> {
  if (!isPlainObject(config)) return {};
  return redactValue(config, false) as Record<string, unknown>;
}

/**
 * Puts the stored secrets back where `next` still holds {@link REDACTED_SECRET}, so a client can edit a redacted
 * config and save it without knowing the secrets. Throws `CONFIG_INVALID` naming each placeholder with nothing to
 * restore (a new key, or an array that moved).
 */
export function restoreRedactedSecrets(next: unknown, previous: unknown): unknown {
  const missing: ConfigIssue[] = [];
  const restored = restore(next, previous, [], missing);
  if (missing.length > 0) {
    const paths = missing.map((issue) => issue.path).join(", ");
    throw new ConfigError(
      "CONFIG_INVALID",
      `${paths}: still holds the redaction placeholder but there is no stored secret to keep — write the real value`,
      { issues: missing },
    );
  }
  return restored;
}

function restore(next: unknown, previous: unknown, path: string[], missing: ConfigIssue[]): unknown {
  if (next === REDACTED_SECRET) {
    if (typeof previous === "string") return previous;
    missing.push({
      path: path.join("."),
      message: "holds the redaction placeholder but no secret is stored here: write the real value",
    });
    return next;
  }
  if (Array.isArray(next)) {
    const before = Array.isArray(previous) ? previous : [];
    return next.map((item, index) => restore(item, before[index], [...path, `${index}`], missing));
  }
  if (!isPlainObject(next)) return next;
  const before = isPlainObject(previous) ? previous : {};
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(next)) {
    setOwn(
      out,
      key,
      restore(item, Object.hasOwn(before, key) ? before[key] : undefined, [...path, key], missing),
    );
  }
  return out;
}
