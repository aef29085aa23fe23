import type { IncomingMessage } from "node:http";
import { FakeModelServerError } from "./fake-model-server-error.js";
import { providerErrorBody } from "./provider-errors.js";
import { DEFAULT_WAIT_TIMEOUT_MS } from "./wait-timeout.js";

export const TRANSCRIPTIONS_PATH = "/v1/audio/transcriptions";
/** OpenAI's own upload limit for `/audio/transcriptions`. */
export const MAX_TRANSCRIPTION_UPLOAD_BYTES = 25 * 1024 * 1024;

export interface RecordedTranscriptionRequest {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The `Authorization` header as sent (`Bearer <key>`), when there was one. */
  authorization?: string;
  model: string;
  /** The uploaded file's bytes; empty when the request had no `file` part. */
  file: Uint8Array;
  /** The name of the `file` part, e.g. `voice.ogg`. */
  fileName: string;
  /** The content type of the `file` part. */
  fileType: string;
  language?: string;
  prompt?: string;
  /** Every text field of the form, `model`, `language` and `prompt` included. */
  fields: Record<string, string>;
  receivedAt: number;
}

/** The fake `POST /v1/audio/transcriptions` endpoint of a fake model server, as a test drives it. */
export interface FakeTranscriptions {
  /** Every transcription request received, oldest first (also refused ones). */
  readonly requests: RecordedTranscriptionRequest[];
  /** The text answered from now on; a function sees the request. Default: `Transcript of <file name>`. */
  setTranscript(text: string | ((request: RecordedTranscriptionRequest) => string)): void;
  /** Answers the next `count` requests with this HTTP status in OpenAI's error shape (e.g. 500, 429). */
  failNext(status: number, count?: number): void;
  /** Holds the next answer this long (to test the client's timeout). */
  delayNext(ms: number): void;
  /** Resolves with the recorded requests once at least `count` arrived; rejects after `timeoutMs` (30 s). */
  waitForRequests(count: number, timeoutMs?: number): Promise<RecordedTranscriptionRequest[]>;
  /** Forgets requests, pending failures and delays, and restores the default transcript. */
  reset(): void;
}

export interface TranscriptionAnswer {
  status: number;
  /** JSON, or a string when the request asked for `response_format: "text"`. */
  body: unknown;
  delayMs?: number;
}

/** The route behind {@link FakeTranscriptions}: the fake model server hands it each `POST /v1/audio/transcriptions`. */
export interface TranscriptionsRoute {
  readonly controller: FakeTranscriptions;
  answer(req: IncomingMessage, authorized: boolean): Promise<TranscriptionAnswer>;
}

const defaultTranscript = (request: RecordedTranscriptionRequest) => `Transcript of ${request.fileName}`;

export function createTranscriptionsRoute(): TranscriptionsRoute {
  const requests: RecordedTranscriptionRequest[] = [];
  const failures: number[] = [];
  let delayMs: number | undefined;
  let transcript: (request: RecordedTranscriptionRequest) => string = defaultTranscript;
  let waiters: Array<{
    count: number;
    resolve: (r: RecordedTranscriptionRequest[]) => void;
    timer: NodeJS.Timeout;
  }> = [];

  const record = (request: RecordedTranscriptionRequest) => {
    requests.push(request);
    waiters = waiters.filter((waiter) => {
      if (requests.length < waiter.count) return true;
      clearTimeout(waiter.timer);
      waiter.resolve([...requests]);
      return false;
    });
  };

  const controller: FakeTranscriptions = {
    requests,
    setTranscript: (text) => {
      transcript = typeof text === "function" ? text : () => text;
    },
    failNext: (status, count = 1) => {
      for (let i = 0; i < count; i++) failures.push(status);
    },
    delayNext: (ms) => {
      delayMs = ms;
    },
    waitForRequests: (count, timeoutMs = DEFAULT_WAIT_TIMEOUT_MS) => {
      if (requests.length >= count) return Promise.resolve([...requests]);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters = waiters.filter((waiter) => waiter.timer !== timer);
          reject(
            new FakeModelServerError(
              "WAIT_TIMEOUT",
              `Waited ${timeoutMs} ms for ${count} transcription request(s) but got ${requests.length}: point tools.media.audio at the fake's /v1 base URL.`,
            ),
          );
        }, timeoutMs);
        waiters.push({ count, resolve, timer });
      });
    },
    reset: () => {
      requests.length = 0;
      failures.length = 0;
      delayMs = undefined;
      transcript = defaultTranscript;
    },
  };

  const answer = async (req: IncomingMessage, authorized: boolean): Promise<TranscriptionAnswer> => {
    const raw = await readBodyCapped(req, MAX_TRANSCRIPTION_UPLOAD_BYTES);
    const request: RecordedTranscriptionRequest = {
      path: TRANSCRIPTIONS_PATH,
      headers: { ...req.headers },
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      model: "",
      file: new Uint8Array(),
      fileName: "",
      fileType: "",
      fields: {},
      receivedAt: Date.now(),
    };
    const form = raw === undefined ? undefined : await parseForm(req, raw);
    if (form) fillFromForm(request, form);
    record(request);
    const delay = delayMs;
    delayMs = undefined;
    const answerWith = (status: number, body: unknown): TranscriptionAnswer =>
      delay === undefined ? { status, body } : { status, body, delayMs: delay };
    if (raw === undefined)
      return answerWith(413, providerErrorBody("openai", 413, "Maximum content size limit exceeded"));
    if (!authorized) return answerWith(401, providerErrorBody("openai", 401));
    const failure = failures.shift();
    if (failure !== undefined) return answerWith(failure, providerErrorBody("openai", failure));
    if (!form)
      return answerWith(400, providerErrorBody("openai", 400, "the request must be multipart/form-data"));
    if (!form.file)
      return answerWith(400, providerErrorBody("openai", 400, "you must provide a 'file' part"));
    if (request.model === "")
      return answerWith(400, providerErrorBody("openai", 400, "you must provide a model parameter"));
    const text = transcript(request);
    if (form.fields.response_format === "text") return answerWith(200, text);
    return answerWith(200, { text, usage: { type: "duration", seconds: 1 } });
  };

  return { controller, answer };
}

interface ParsedForm {
  fields: Record<string, string>;
  file?: { name: string; type: string; bytes: Uint8Array };
}

/** The platform's own multipart parser (undici's `Request.formData()`), so the fake accepts what real servers do. */
async function parseForm(req: IncomingMessage, raw: Buffer): Promise<ParsedForm | undefined> {
  const contentType = req.headers["content-type"];
  if (!contentType?.toLowerCase().startsWith("multipart/form-data")) return undefined;
  let form: FormData;
  try {
    form = await new Request("http://fake.invalid/", {
      method: "POST",
      headers: { "content-type": contentType },
      body: new Uint8Array(raw),
    }).formData();
  } catch {
    return undefined;
  }
  const fields: Record<string, string> = {};
  let file: ParsedForm["file"];
  for (const [name, value] of form.entries()) {
    if (typeof value === "string") fields[name] = value;
    else if (name === "file")
      file = { name: value.name, type: value.type, bytes: new Uint8Array(await value.arrayBuffer()) };
  }
  return file ? { fields, file } : { fields };
}

function fillFromForm(request: RecordedTranscriptionRequest, form: ParsedForm): void {
  const { fields, file } = form;
  request.fields = fields;
  request.model = fields.model ?? "";
  if (fields.language !== undefined) request.language = fields.language;
  if (fields.prompt !== undefined) request.prompt = fields.prompt;
  if (file) {
    request.file = file.bytes;
    request.fileName = file.name;
    request.fileType = file.type;
  }
}

/** The body, or `undefined` once it passes `maxBytes` (the rest is drained, not kept). */
function readBodyCapped(req: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let total = 0;
    req.on("data", (part: Buffer) => {
      total += part.byteLength;
      if (total <= maxBytes) parts.push(part);
    });
    req.on("end", () => resolve(total > maxBytes ? undefined : Buffer.concat(parts)));
    req.on("error", reject);
  });
}
