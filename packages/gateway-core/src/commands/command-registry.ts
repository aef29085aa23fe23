import type { NativeCommand } from "@openclaw/plugin-sdk";
import type { ChatCommand } from "./command-services.js";
import { modelCommand, thinkCommand } from "./model-commands.js";
import { newCommand, resetCommand, statusCommand, stopCommand } from "./session-commands.js";

/** The in-chat commands by name and alias, and the lists `/help` and native menus show. */
export class ChatCommandRegistry {
  readonly #commands: readonly ChatCommand[];
  readonly #byName = new Map<string, ChatCommand>();

  constructor(
    commands: readonly ChatCommand[] = [
      newCommand,
      resetCommand,
      stopCommand,
      statusCommand,
      modelCommand,
      thinkCommand,
    ],
  ) {
    const help: ChatCommand = {
      name: "help",
      aliases: ["commands"],
      description: "List the commands",
      immediate: true,
      run: async () => this.helpText(),
    };
    this.#commands = [...commands, help];
    for (const command of this.#commands) {
      for (const name of [command.name, ...(command.aliases ?? [])]) this.#byName.set(name, command);
    }
  }

  find(name: string): ChatCommand | undefined {
    return this.#byName.get(name.toLowerCase());
  }

  helpText(): string {
    const lines = this.#commands.map(
      (command) => `/${command.name}${command.args ? ` ${command.args}` : ""}: ${command.description}`,
    );
    return `ℹ️ Commands\n${lines.join("\n")}`;
  }

  /**
   * What an adapter registers with its platform (Telegram's menu, Discord's application commands, Slack's slash
   * commands). Names the platform reserves are the adapter's to translate (Slack's `/status` becomes
   * `/agentstatus`, which is also an alias here).
   */
  nativeCommands(): NativeCommand[] {
    return this.#commands.map((command) => ({
      name: command.name,
      description: command.description,
      ...(command.args ? { args: command.args } : {}),
    }));
  }
}
