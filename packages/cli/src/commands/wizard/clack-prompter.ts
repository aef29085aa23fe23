import * as clack from "@clack/prompts";
import { withCommandHints } from "../../output.js";
import { cancelled } from "./wizard-error.js";
import type { Prompter, PromptOption } from "./wizard-prompter.js";

function answered<T>(value: T): Exclude<T, symbol> {
  if (clack.isCancel(value)) {
    clack.cancel("Cancelled: nothing was written.");
    throw cancelled();
  }
  return value as Exclude<T, symbol>;
}

/** Validators return undefined for "fine"; clack also calls them with undefined for an untouched field. */
function adaptValidate(validate?: (value: string) => string | undefined) {
  return validate ? (value: string | undefined) => validate(value ?? "") : undefined;
}

/** The terminal prompter: real @clack/prompts on stdin/stdout. */
export function createClackPrompter(): Prompter {
  return {
    // clack writes to the terminal itself, so its text gets the same command-name hints as the rest of the CLI.
    intro: (title) => clack.intro(title),
    outro: (message) => clack.outro(withCommandHints(message)),
    note: (message, title) => clack.note(withCommandHints(message), title),
    step: (message) => clack.log.step(withCommandHints(message)),
    warn: (message) => clack.log.warn(withCommandHints(message)),
    async select<T extends string>(o: { message: string; options: PromptOption<T>[]; initialValue?: T }) {
      return answered(
        await clack.select<T>({
          message: o.message,
          // clack's option type is conditional on T, which TypeScript cannot resolve for a generic T.
          options: o.options as Parameters<typeof clack.select<T>>[0]["options"],
          initialValue: o.initialValue,
        }),
      );
    },
    text: async (o) =>
      answered(
        await clack.text({
          message: o.message,
          initialValue: o.initialValue,
          placeholder: o.placeholder,
          validate: adaptValidate(o.validate),
        }),
      ),
    password: async (o) =>
      answered(await clack.password({ message: o.message, validate: adaptValidate(o.validate) })),
    confirm: async (o) =>
      answered(await clack.confirm({ message: o.message, initialValue: o.initialValue ?? true })),
  };
}
