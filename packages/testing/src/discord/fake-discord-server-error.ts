export type FakeDiscordServerErrorCode = "WAIT_TIMEOUT" | "SERVER_CLOSED" | "UNKNOWN_CHANNEL";

export class FakeDiscordServerError extends Error {
  override readonly name = "FakeDiscordServerError";

  constructor(
    readonly code: FakeDiscordServerErrorCode,
    message: string,
  ) {
    super(message);
  }
}
