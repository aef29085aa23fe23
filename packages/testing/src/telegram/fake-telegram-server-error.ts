export type FakeTelegramServerErrorCode = "WAIT_TIMEOUT" | "SERVER_CLOSED";

export class FakeTelegramServerError extends Error {
  override readonly name = "FakeTelegramServerError";

  constructor(
    readonly code: FakeTelegramServerErrorCode,
    message: string,
  ) {
    super(message);
  }
}
