import type { FakeApi } from "./fake-reply.js";
import { randomId } from "./random-id.js";

const ANTHROPIC_ERROR_TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  413: "request_too_large",
  429: "rate_limit_error",
  500: "api_error",
  529: "overloaded_error",
};

const OPENAI_ERRORS: Record<number, { type: string; code: string | null; message: string }> = {
  400: { type: "invalid_request_error", code: null, message: "The request was invalid." },
  401: {
    type: "invalid_request_error",
    code: "invalid_api_key",
    message: "Incorrect API key provided. You can find your API key at the fake model server's options.",
  },
  403: { type: "invalid_request_error", code: "unsupported_country_region_territory", message: "Forbidden." },
  404: { type: "invalid_request_error", code: null, message: "The model does not exist." },
  429: {
    type: "requests",
    code: "rate_limit_exceeded",
    message: "Rate limit reached for requests. Please try again later.",
  },
  500: {
    type: "server_error",
    code: null,
    message: "The server had an error while processing your request. Sorry about that!",
  },
  503: {
    type: "server_error",
    code: null,
    message: "The engine is currently overloaded, please try again later.",
  },
};

/** The error body each provider sends for an HTTP status, so clients map it to their own error classes. */
export function providerErrorBody(api: FakeApi | "openai", status: number, message?: string): unknown {
  if (api === "anthropic-messages") {
    return {
      type: "error",
      error: {
        type: ANTHROPIC_ERROR_TYPES[status] ?? "api_error",
        message: message ?? `Fake error ${status}.`,
      },
      request_id: randomId("req_"),
    };
  }
  const known = OPENAI_ERRORS[status] ?? {
    type: "server_error",
    code: null,
    message: `Fake error ${status}.`,
  };
  return { error: { message: message ?? known.message, type: known.type, param: null, code: known.code } };
}
