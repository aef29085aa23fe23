/**
 * Credential-shaped text in transcripts read by another session is masked, as OpenClaw's `sessions_history` does
 * even when log redaction is off: a transcript may hold a key a user pasted, and the reader may be another agent.
 */
const CREDENTIAL_PATTERNS: readonly RegExp[] = [
  // OpenAI / Anthropic style keys (sk-..., sk-ant-...), and other prefixed secret keys.
  /\b(?:sk|pk|rk)-[A-Za-z0-9_-]{12,}/g,
  // Slack tokens.
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/g,
  // Telegram bot tokens.
  /\b\d{6,12}:[A-Za-z0-9_-]{30,}/g,
  // GitHub tokens.
  /\bgh[pousr]_[A-Za-z0-9]{20,}/g,
  // AWS access key ids.
  /\bAKIA[0-9A-Z]{16}\b/g,
  // Authorization header values.
  /\b(?:Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{12,}/gi,
  // key=value pairs naming a secret.
  /\b(?:api[_-]?key|access[_-]?token|secret|password|passwd|token)\s*[=:]\s*["']?[^\s"'&,;]{6,}/gi,
];

export const REDACTED = "[redacted]";

export function redactCredentials(text: string): { text: string; redacted: boolean } {
  let out = text;
  for (const pattern of CREDENTIAL_PATTERNS) out = out.replace(pattern, REDACTED);
  return { text: out, redacted: out !== text };
}
