export type FakeSlackServerErrorCode = "WAIT_TIMEOUT" | "SERVER_CLOSED";

export class FakeSlackServerError extends Error {
  override readonly name = "FakeSlackServerError";

  constructor(
    readonly code: FakeSlackServerErrorCode,
    message: string,
  ) {
    super(message);
  }
}
