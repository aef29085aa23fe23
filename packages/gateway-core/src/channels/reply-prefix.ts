import type { AgentRunEvent, AgentRunResult } from "@openclaw/agent";
import { z } from "zod";

/** What a `responsePrefix` template can name, from the turn that produced the answer. */
export interface ReplyPrefixContext {
  /** `<provider>/<model>` of the model that answered. */
  modelRef?: string;
  /** The thinking level the run used (`off`, `low`, ...). */
  thinkingLevel?: string;
  /** The agent's `identity.name` (or entry name). */
  identityName?: string;
}

const MessagesPrefixSchema = z.looseObject({ responsePrefix: z.string().max(256).optional() });

/**
 * OpenClaw's `responsePrefix` cascade: `channels.<id>.accounts.<acc>.responsePrefix`, then
 * `channels.<id>.responsePrefix` (both already merged into the account config, the account winning), then
 * `messages.responsePrefix`. `""` at any level means no prefix and stops the cascade. Undefined: no prefix.
 */
export function resolveResponsePrefix(
  messages: unknown,
  accountConfig: Record<string, unknown>,
): string | undefined {
  const own = accountConfig.responsePrefix;
  if (typeof own === "string") return own === "" ? undefined : own;
  const parsed = MessagesPrefixSchema.safeParse(messages ?? {});
  const global = parsed.success ? parsed.data.responsePrefix : undefined;
  return global === "" ? undefined : global;
}

/**
 * Fills a prefix template: `{model}` (short model name), `{modelFull}`, `{provider}`, `{thinkingLevel}` (alias
 * `{think}`), `{identity.name}`; names are case-insensitive. `"auto"` is `[{identity.name}]`. A variable whose value
 * is unknown for this turn is left out; an unknown name is kept as written so a typo shows in the chat.
 */
export function renderResponsePrefix(template: string, context: ReplyPrefixContext): string {
  if (template.trim().toLowerCase() === "auto") {
    return context.identityName ? `[${context.identityName}]` : "";
  }
  const ref = context.modelRef;
  const slash = ref?.indexOf("/") ?? -1;
  const values: Record<string, string | undefined> = {
    model: ref === undefined ? undefined : ref.slice(ref.lastIndexOf("/") + 1),
    modelfull: ref,
    provider: ref !== undefined && slash > 0 ? ref.slice(0, slash) : undefined,
    thinkinglevel: context.thinkingLevel,
    think: context.thinkingLevel,
    "identity.name": context.identityName,
  };
  return template
    .replace(/\{([a-z.]+)\}/gi, (whole, name: string) => {
      const key = name.toLowerCase();
      return key in values ? (values[key] ?? "") : whole;
    })
    .replace(/\s{2,}/g, " ")
    .trim();
}

/** `text` with the rendered prefix in front (separated by a space), unless it is empty or already starts with it. */
export function withResponsePrefix(text: string, prefix: string | undefined): string {
  if (!prefix || text.trim() === "" || text.startsWith(prefix)) return text;
  return `${prefix} ${text}`;
}

/**
 * The prefix of one reply. The model and thinking level become known when the run starts (its lifecycle event), so
 * a streamed draft carries the same prefix as the final answer; the result settles them (a fallback model).
 */
export class ReplyPrefixer {
  readonly #template: string | undefined;
  #context: ReplyPrefixContext;

  constructor(template: string | undefined, context: ReplyPrefixContext) {
    this.#template = template;
    this.#context = context;
  }

  observe(event: AgentRunEvent): void {
    if (this.#template === undefined || event.stream !== "lifecycle" || event.data.phase !== "start") return;
    this.#learn(event.data.model, event.data.thinkingLevel);
  }

  settle(result: AgentRunResult): void {
    this.#learn(result.model, result.thinkingLevel);
  }

  apply(text: string): string {
    if (this.#template === undefined) return text;
    return withResponsePrefix(text, renderResponsePrefix(this.#template, this.#context));
  }

  #learn(model: unknown, thinkingLevel: unknown): void {
    this.#context = {
      ...this.#context,
      ...(typeof model === "string" ? { modelRef: model } : {}),
      ...(typeof thinkingLevel === "string" ? { thinkingLevel } : {}),
    };
  }
}
