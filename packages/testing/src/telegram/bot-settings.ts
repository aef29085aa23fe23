import { asBoolean, asList, asRecord, asString, type BotApiParams } from "./bot-api-request.js";
import { type ApiReply, fail, ok } from "./fake-telegram-state.js";
import type { TelegramUser } from "./telegram-objects.js";
import type { UpdateQueue } from "./update-queue.js";

const MAX_COMMANDS = 100;

export interface BotCommand {
  command: string;
  description: string;
}

/** The bot's own settings: who it is (getMe), its webhook and its command menu. */
export class FakeBotSettings {
  /** Set by setWebhook; while set, getUpdates is refused as on Telegram. */
  webhookUrl = "";
  /** The default scope's command menu (setMyCommands). */
  commands: BotCommand[] = [];
  readonly #bot: TelegramUser;
  readonly #updates: UpdateQueue;

  constructor(bot: TelegramUser, updates: UpdateQueue) {
    this.#bot = bot;
    this.#updates = updates;
  }

  methods(): Record<string, (params: BotApiParams) => ApiReply> {
    return {
      getMe: () =>
        ok({
          ...this.#bot,
          can_join_groups: true,
          can_read_all_group_messages: false,
          supports_inline_queries: false,
          can_connect_to_business: false,
          has_main_web_app: false,
        }),
      deleteWebhook: (params) => {
        this.webhookUrl = "";
        if (asBoolean(params.drop_pending_updates)) this.#updates.dropAll();
        return ok(true);
      },
      setWebhook: (params) => {
        this.webhookUrl = asString(params.url) ?? "";
        if (asBoolean(params.drop_pending_updates)) this.#updates.dropAll();
        return ok(true);
      },
      getWebhookInfo: () =>
        ok({ url: this.webhookUrl, has_custom_certificate: false, pending_update_count: this.#updates.size }),
      setMyCommands: (params) => this.#setMyCommands(params),
      getMyCommands: () => ok(this.commands),
      deleteMyCommands: () => {
        this.commands = [];
        return ok(true);
      },
    };
  }

  #setMyCommands(params: BotApiParams): ApiReply {
    const list = (asList(params.commands) ?? []).map((entry) => asRecord(entry) ?? {});
    if (list.length > MAX_COMMANDS) return fail(400, "Bad Request: BOT_COMMANDS_TOO_MUCH");
    const parsed: BotCommand[] = [];
    for (const entry of list) {
      const command = asString(entry.command) ?? "";
      const description = asString(entry.description) ?? "";
      if (!/^[a-z0-9_]{1,32}$/.test(command)) return fail(400, "Bad Request: BOT_COMMAND_INVALID");
      if (description.trim() === "" || description.length > 256) {
        return fail(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID");
      }
      parsed.push({ command, description });
    }
    // Only the default scope and language are kept; other scopes are accepted and forgotten.
    const scope = asString(asRecord(params.scope)?.type) ?? "default";
    if (scope === "default" && (asString(params.language_code) ?? "") === "") this.commands = parsed;
    return ok(true);
  }
}
