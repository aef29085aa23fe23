import type { IncomingMessage } from "node:http";
import { HookError } from "./hook-error.js";

/**
 * Reads and parses a hook's JSON body. The declared Content-Length is checked before any byte is buffered, the
 * received bytes after each chunk, and a sender that stalls past `timeoutMs` gets 408 rather than holding a socket.
 */
export function readHookBody(
  request: IncomingMessage,
  options: { maxBytes: number; timeoutMs: number },
): Promise<unknown> {
  const { maxBytes, timeoutMs } = options;
  const tooLarge = () =>
    new HookError(
      413,
      "BODY_TOO_LARGE",
      `request body exceeds the ${maxBytes}-byte hook limit: send a smaller payload`,
    );
  const declared = Number(request.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) {
    request.resume();
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.off("data", onData);
      request.off("end", onEnd);
      request.off("error", onError);
      outcome();
    };
    const timer = setTimeout(() => {
      finish(() => {
        request.resume();
        reject(
          new HookError(
            408,
            "BODY_TIMEOUT",
            `request body not received within ${Math.round(timeoutMs / 1000)}s: send the body promptly`,
          ),
        );
      });
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxBytes) {
        finish(() => {
          request.resume();
          reject(tooLarge());
        });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish(() => parse(Buffer.concat(chunks).toString("utf8"), resolve, reject));
    const onError = (error: Error) => finish(() => reject(error));
    request.on("data", onData);
    request.on("end", onEnd);
    request.on("error", onError);
  });
}

function parse(text: string, resolve: (value: unknown) => void, reject: (error: HookError) => void): void {
  if (text.trim() === "") {
    reject(new HookError(400, "INVALID_JSON", "request body is empty: send a JSON object"));
    return;
  }
  try {
    resolve(JSON.parse(text));
  } catch (error) {
    reject(new HookError(400, "INVALID_JSON", `request body is not valid JSON: ${(error as Error).message}`));
  }
}
