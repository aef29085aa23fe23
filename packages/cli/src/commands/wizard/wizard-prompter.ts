/** One choice of a select prompt. */
export interface PromptOption<T extends string> {
  value: T;
  label: string;
  hint?: string;
  disabled?: boolean;
}

/**
 * The questions a wizard section can ask. The terminal implementation is backed by @clack/prompts; every method
 * throws a `WIZARD_CANCELLED` error when the user presses Ctrl-C, so a section never sees a half answer.
 */
export interface Prompter {
  intro(title: string): void;
  outro(message: string): void;
  note(message: string, title?: string): void;
  step(message: string): void;
  warn(message: string): void;
  select<T extends string>(o: { message: string; options: PromptOption<T>[]; initialValue?: T }): Promise<T>;
  text(o: {
    message: string;
    initialValue?: string;
    placeholder?: string;
    validate?: (value: string) => string | undefined;
  }): Promise<string>;
  password(o: { message: string; validate?: (value: string) => string | undefined }): Promise<string>;
  confirm(o: { message: string; initialValue?: boolean }): Promise<boolean>;
}
