export type FakeModelServerErrorCode = "WAIT_TIMEOUT" | "SERVER_CLOSED";

export class FakeModelServerError extends Error {
  override readonly name = "FakeModelServerError";

  constructor(
    readonly code: FakeModelServerErrorCode,
    message: string,
  ) {
    super(message);
  }
}
