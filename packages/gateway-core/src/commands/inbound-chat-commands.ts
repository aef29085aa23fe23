import type { InboundMessage, NativeCommand, SenderIdSpelling } from "@openclaw/plugin-sdk";
import type { InboundCommandHandler, InboundTurnContext } from "../channels/inbound-types.js";
import type { Logger } from "../logging/logger.js";
import { type CommandAccess, resolveCommandAccess } from "./command-authorization.js";
import { ChatCommandRegistry } from "./command-registry.js";
import type { ChatCommand, CommandOutcome, CommandServices } from "./command-services.js";
import { parseCommandText } from "./command-text.js";
import { type CommandsConfig, nativeCommandsEnabled, readCommandsConfig } from "./commands-config.js";

export interface ChatCommandsOptions {
  services: CommandServices;
  /** The whole current config; its `commands` section is read on each use, so a reload applies at once. */
  getConfig: () => Record<string, unknown>;
  logger: Logger;
  registry?: ChatCommandRegistry;
}

/**
 * `/new`, `/reset`, `/status`, `/model`, `/stop`, `/think`, `/help` for every channel (as the router's
 * {@link InboundCommandHandler}) and for the Control UI chat, with OpenClaw's authorisation rules. A `/word` that is
 * not a command is an ordinary message.
 */
export class ChatCommands implements InboundCommandHandler {
  readonly #o: ChatCommandsOptions;
  readonly #registry: ChatCommandRegistry;
  #reportedProblem: string | undefined;

  constructor(o: ChatCommandsOptions) {
    this.#o = o;
    this.#registry = o.registry ?? new ChatCommandRegistry();
  }

  async handle(context: InboundTurnContext): Promise<boolean | { followUp: string }> {
    const { message, account } = context;
    const found = this.#commandOf(message, account.plugin.capabilities.nativeCommands === true);
    if (!found) return false;
    const { command, args } = found;
    const access = this.#access(message, account.config, account.plugin.senderIds);
    if (access === "denied") {
      // OpenClaw: a setting command from someone not allowed to run commands is just text; others are ignored.
      if (command.directive) return false;
      account.logger.info("command ignored: the sender may not run commands", {
        command: command.name,
        senderId: message.sender.id,
        chatKind: message.chatKind,
      });
      return true;
    }
    if (access === "reset-only" && !command.resetsSession) {
      await context.reply(
        `Only the owner may use /${command.name} here. To allow it, add "${message.channel}:${message.sender.id}" to commands.ownerAllowFrom in openclaw.json.`,
      );
      return true;
    }
    const outcome = await this.#run(command, args, {
      sessionKey: context.sessionKey,
      agentId: context.agentId,
    });
    await context.reply(outcome.reply);
    return outcome.followUp ? { followUp: outcome.followUp } : true;
  }

  /** `/stop` and `/status` must not wait behind the turn they are about. */
  isImmediate(message: InboundMessage): boolean {
    const parsed = parseCommandText(message.text);
    if (parsed === undefined || this.#registry.find(parsed.name)?.immediate !== true) return false;
    // With typed commands off the text may run as a message, which must keep its place in the chat's order.
    return message.nativeCommand === true || this.#commandsConfig()?.text !== false;
  }

  /**
   * A command from a sender allowed to run it addresses the bot in a group even without a mention (OpenClaw's
   * mention bypass for control commands).
   */
  addressesBot(
    message: InboundMessage,
    accountConfig: Record<string, unknown>,
    nativeChannel: boolean,
    senderIds?: SenderIdSpelling,
  ): boolean {
    if (message.chatKind === "dm" || !this.#commandOf(message, nativeChannel)) return false;
    return this.#access(message, accountConfig, senderIds) !== "denied";
  }

  /** The commands to register natively for one account, or undefined when `commands.native` turns that off. */
  nativeCommands(channel: string, accountConfig: Record<string, unknown>): NativeCommand[] | undefined {
    const commands = this.#commandsConfig();
    if (!nativeCommandsEnabled(channel, commands ?? {}, accountConfig)) return undefined;
    return this.#registry.nativeCommands();
  }

  /**
   * A command typed in the Control UI chat; its reply, or undefined when the text is not a command. The operator
   * already holds the scopes `chat.send` needs, so every command is allowed.
   */
  async runTyped(o: {
    sessionKey: string;
    agentId: string;
    text: string;
  }): Promise<CommandOutcome | undefined> {
    const parsed = parseCommandText(o.text);
    const command = parsed && this.#registry.find(parsed.name);
    if (!parsed || !command) return undefined;
    return this.#run(command, parsed.args, {
      sessionKey: o.sessionKey,
      agentId: o.agentId,
    });
  }

  #commandOf(
    message: InboundMessage,
    nativeChannel: boolean,
  ): { command: ChatCommand; args: string } | undefined {
    const parsed = parseCommandText(message.text);
    const command = parsed && this.#registry.find(parsed.name);
    if (!parsed || !command) return undefined;
    // `commands.text: false` leaves typed commands to channels that have a native menu; the others keep them.
    if (!message.nativeCommand && nativeChannel && this.#commandsConfig()?.text === false) return undefined;
    return { command, args: parsed.args };
  }

  #access(
    message: InboundMessage,
    accountConfig: Record<string, unknown>,
    senderIds: SenderIdSpelling | undefined,
  ): CommandAccess {
    const commands = this.#commandsConfig();
    // An unreadable `commands` section might have meant to restrict who runs commands: nobody does until it is fixed.
    if (!commands) return "denied";
    return resolveCommandAccess(message, accountConfig, commands, senderIds);
  }

  #commandsConfig(): CommandsConfig | undefined {
    const reading = readCommandsConfig(this.#o.getConfig().commands);
    if (reading.ok) {
      this.#reportedProblem = undefined;
      return reading.config;
    }
    if (this.#reportedProblem !== reading.problem) {
      this.#reportedProblem = reading.problem;
      this.#o.logger.error(
        "in-chat commands refused: the commands section is invalid; fix it in openclaw.json",
        {
          problem: reading.problem,
        },
      );
    }
    return undefined;
  }

  async #run(
    command: ChatCommand,
    args: string,
    where: { sessionKey: string; agentId: string },
  ): Promise<CommandOutcome> {
    try {
      const result = await command.run({ name: command.name, args, ...where }, this.#o.services);
      return typeof result === "string" ? { reply: result } : result;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.#o.logger.error("command failed", { command: command.name, error: reason });
      return { reply: `⚠️ /${command.name} failed: ${reason}` };
    }
  }
}
