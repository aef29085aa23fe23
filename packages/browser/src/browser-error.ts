/** Stable codes of {@link BrowserError}; `status` is the HTTP-like status the control routes answer with. */
export const BROWSER_ERROR_STATUS = {
  BROWSER_DISABLED: 503,
  BROWSER_NOT_FOUND: 503,
  BROWSER_START_FAILED: 503,
  BROWSER_NOT_RUNNING: 409,
  PLAYWRIGHT_MISSING: 501,
  NAVIGATION_BLOCKED: 403,
  INVALID_REQUEST: 400,
  PROFILE_UNKNOWN: 404,
  TAB_NOT_FOUND: 404,
  REF_NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  ACT_OPERATION_FAILED: 500,
  OUTPUT_TOO_LARGE: 413,
  BROWSER_TIMEOUT: 504,
} as const;

export type BrowserErrorCode = keyof typeof BROWSER_ERROR_STATUS;

/** A browser control failure with a stable code and a message that names the fix. */
export class BrowserError extends Error {
  readonly code: BrowserErrorCode;
  readonly status: number;

  constructor(code: BrowserErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "BrowserError";
    this.code = code;
    this.status = BROWSER_ERROR_STATUS[code];
  }
}
