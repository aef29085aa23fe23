const KIB = 1024;
const MIB = 1024 * KIB;

/**
 * Size bounds of everything a client sends: every string, array and record in a request's params has one, so
 * validating a hostile frame costs time in proportion to these numbers, never to the frame. Clients can check
 * before sending; the error for a value over a bound names the field and the limit.
 *
 * The numbers leave wide room over what OpenClaw's own clients send (its Control UI connects with 18 scopes and
 * 26 caps, and its longest id is 86 characters).
 */
export const LIMITS = {
  /** Ids and names: request ids, methods, agent, channel and account ids, idempotency keys, models, versions. */
  idChars: 256,
  /** Session keys and labels (a key embeds a channel's peer id). */
  keyChars: 512,
  /** Credentials: tokens and passwords. */
  secretChars: 4 * KIB,
  /** File system paths, URLs and specs. */
  pathChars: 4 * KIB,
  /** Free text that is not a message: descriptions, notes, commands, warnings, a user agent. */
  textChars: 64 * KIB,
  /** A message for a model or a channel (`chat.send`, `agent`, `send`, cron payloads), a system prompt. */
  messageChars: 1 * MIB,
  /** A whole config file (`config.set`, `config.patch`, `config.apply`). */
  configChars: 1 * MIB,
  /** Scopes a client may ask for. */
  scopes: 64,
  /** Capabilities and commands a node declares when it connects. */
  caps: 256,
  /** Arguments of one command (`exec.approval.request`'s `commandArgv`, its spans). */
  argv: 1024,
  /** Any other list in params: config paths, tool allowlists, model fallbacks, reviewer ids. */
  listItems: 256,
  /** Keys of a record (`env`) or of an object that tolerates unknown fields. */
  objectKeys: 256,
  /** Nesting of a free-form value (an unknown field, an extension object). */
  jsonDepth: 32,
  /** Values (objects, arrays and leaves) in one free-form value. */
  jsonNodes: 10_000,
  /** Validation issues an error reply lists; `details.issueCount` says how many there were. */
  errorIssues: 5,
  /** Characters of one issue's path or message in an error reply. */
  errorTextChars: 200,
} as const;

export type Limits = typeof LIMITS;
