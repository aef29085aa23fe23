import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { dmChannelOf, type FakeSlackConversations } from "./fake-slack-conversations.js";
import type { FakeSlackFileInput, FakeSlackUpload } from "./fake-slack-types.js";
import type { SlackFile } from "./slack-objects.js";
import { asString, errorReply, okReply, type WebApiParams, type WebApiReply } from "./web-api-request.js";

const UPLOAD_PATH = "/upload/v1/";
const FILES_PATH = "/files-pri/";

interface HostedFile {
  file: SlackFile;
  bytes: Uint8Array;
}

interface PendingUpload extends FakeSlackUpload {
  ticket: string;
  uploadedBy: string;
}

export interface FakeSlackFileDownload {
  fileId: string;
  /** False when the request lacked the bot token (it was sent to the sign-in page instead). */
  authorized: boolean;
}

function fileId(): string {
  return `F${randomUUID().replace(/-/g, "").slice(0, 10).toUpperCase()}`;
}

async function readRaw(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * The bytes posted to an upload URL: @slack/web-api sends multipart form data with one file part; a raw body (curl
 * --data-binary) and a urlencoded `body` text field are accepted too, as Slack does.
 */
async function uploadedBytes(req: IncomingMessage, raw: Buffer): Promise<Uint8Array> {
  const contentType = req.headers["content-type"] ?? "";
  if (contentType.startsWith("multipart/form-data")) {
    const form = await new Response(new Uint8Array(raw), {
      headers: { "content-type": contentType },
    }).formData();
    for (const [, value] of form) {
      if (typeof value !== "string") return new Uint8Array(await value.arrayBuffer());
    }
    return new Uint8Array();
  }
  if (contentType.startsWith("application/x-www-form-urlencoded")) {
    return new TextEncoder().encode(new URLSearchParams(raw.toString("utf8")).get("body") ?? "");
  }
  return new Uint8Array(raw);
}

function prettyType(mimeType: string): { filetype: string; pretty: string } {
  const [type = "", subtype = "binary"] = mimeType.split("/");
  const filetype = subtype
    .replace(/^x-/, "")
    .replace("mpeg", "mp3")
    .replace("jpeg", "jpg")
    .replace("plain", "text");
  return { filetype, pretty: `${type.toUpperCase()} ${filetype}` };
}

/** Files hosted by the fake (injected with messages or uploaded by the bot), served to the bot token only. */
export class FakeSlackFiles {
  readonly uploads: FakeSlackUpload[] = [];
  readonly downloads: FakeSlackFileDownload[] = [];
  private readonly hosted = new Map<string, HostedFile>();
  private readonly pending = new Map<string, PendingUpload>();
  /** Set by withholdFiles: downloads get the sign-in page even with the bot token. */
  withheld = false;

  constructor(
    private readonly baseUrl: () => string,
    private readonly teamId: string,
    private readonly conversations: FakeSlackConversations,
    private readonly changed: () => void,
  ) {}

  /** Hosts an injected file and returns it as a message event describes it. */
  host(input: FakeSlackFileInput, user: string): SlackFile {
    const file = this.describe({
      id: fileId(),
      name: input.name,
      title: input.title ?? input.name,
      mimeType: input.mimeType,
      size: input.declaredSize ?? input.bytes.byteLength,
      user,
    });
    if (input.clip !== undefined) {
      file.subtype = input.clip === "audio" ? "slack_audio" : "slack_video";
      file.media_display_type = input.clip;
    }
    if (input.durationMs !== undefined) file.duration_ms = input.durationMs;
    this.hosted.set(file.id, { file, bytes: input.bytes });
    return file;
  }

  getUploadUrl(params: WebApiParams, user: string): WebApiReply {
    const fileName = asString(params.filename);
    const length = Number(asString(params.length));
    if (fileName === undefined || fileName === "" || !Number.isInteger(length) || length < 1) {
      return errorReply("invalid_arguments");
    }
    const ticket = randomUUID();
    const upload: PendingUpload = {
      ticket,
      uploadedBy: user,
      fileId: fileId(),
      fileName,
      length,
      bytes: new Uint8Array(),
      completed: false,
    };
    this.pending.set(ticket, upload);
    this.uploads.push(upload);
    return okReply({ upload_url: `${this.baseUrl()}${UPLOAD_PATH}${ticket}`, file_id: upload.fileId });
  }

  complete(params: WebApiParams): WebApiReply {
    const entries = Array.isArray(params.files) ? (params.files as { id?: unknown; title?: unknown }[]) : [];
    const requested = asString(params.channel_id);
    const threadTs = asString(params.thread_ts);
    if (entries.length === 0 || (threadTs !== undefined && requested === undefined)) {
      return errorReply("invalid_arguments");
    }
    // A file share needs a conversation id: unlike chat.postMessage, a user id is not accepted.
    if (requested !== undefined && dmChannelOf(requested) !== requested)
      return errorReply("channel_not_found");
    const uploads = entries.map((entry) => this.uploads.find((upload) => upload.fileId === entry.id));
    if (uploads.some((upload) => upload === undefined || upload.bytes.byteLength === 0 || upload.completed)) {
      return errorReply("file_not_found");
    }
    const done = uploads as PendingUpload[];
    const comment = asString(params.initial_comment);
    const ts =
      requested === undefined
        ? undefined
        : this.conversations.postFileShare(
            requested,
            done.map((upload) => upload.fileId),
            comment ?? "",
            threadTs,
          );
    const files = done.map((upload, index) => {
      const title = asString(entries[index]?.title);
      Object.assign(upload, {
        completed: true,
        ...(title === undefined ? {} : { title }),
        ...(requested === undefined ? {} : { channel: requested }),
        ...(threadTs === undefined ? {} : { threadTs }),
        ...(comment === undefined ? {} : { initialComment: comment }),
        ...(ts === undefined ? {} : { ts }),
      });
      this.pending.delete(upload.ticket);
      const file = this.describe({
        id: upload.fileId,
        name: upload.fileName,
        title: title ?? upload.fileName,
        mimeType: "application/octet-stream",
        size: upload.bytes.byteLength,
        user: upload.uploadedBy,
      });
      this.hosted.set(file.id, { file, bytes: upload.bytes });
      const share =
        ts === undefined ? [] : [{ ts, ...(threadTs === undefined ? {} : { thread_ts: threadTs }) }];
      const visibility = requested?.startsWith("C") === true ? "public" : "private";
      return { ...file, shares: requested === undefined ? {} : { [visibility]: { [requested]: share } } };
    });
    this.changed();
    return okReply({ files });
  }

  /** Serves the upload URLs and the `url_private(_download)` paths; false when the path is neither. */
  async serve(req: IncomingMessage, res: ServerResponse, path: string, botToken: string): Promise<boolean> {
    if (path.startsWith(UPLOAD_PATH)) {
      const raw = await readRaw(req);
      const upload = this.pending.get(path.slice(UPLOAD_PATH.length));
      if (req.method !== "POST" || upload === undefined) {
        res.writeHead(404).end();
        return true;
      }
      upload.bytes = await uploadedBytes(req, raw);
      this.changed();
      res.writeHead(200, { "content-type": "text/plain" }).end(`OK - ${upload.bytes.byteLength}`);
      return true;
    }
    if (path === "/signin") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end("<!DOCTYPE html><html><head><title>Sign in | Slack</title></head><body>Sign in</body></html>");
      return true;
    }
    if (!path.startsWith(FILES_PATH)) return false;
    const id = path.slice(FILES_PATH.length).split("/")[0]?.split("-")[1] ?? "";
    const hosted = this.hosted.get(id);
    if (hosted === undefined) {
      res.writeHead(404).end();
      return true;
    }
    // Slack answers a request without the token with a redirect to its sign-in page (HTML, status 200).
    const authorized = !this.withheld && req.headers.authorization === `Bearer ${botToken}`;
    this.downloads.push({ fileId: id, authorized });
    this.changed();
    if (!authorized) {
      res.writeHead(302, { location: `/signin?redir=${encodeURIComponent(path)}` }).end();
      return true;
    }
    res.writeHead(200, {
      "content-type": hosted.file.mimetype,
      "content-length": String(hosted.bytes.byteLength),
      "content-disposition": `attachment; filename="${hosted.file.name}"`,
    });
    res.end(hosted.bytes);
    return true;
  }

  private describe(o: {
    id: string;
    name: string;
    title: string;
    mimeType: string;
    size: number;
    user: string;
  }): SlackFile {
    const now = Math.floor(Date.now() / 1000);
    const { filetype, pretty } = prettyType(o.mimeType);
    const name = encodeURIComponent(o.name);
    const base = `${this.baseUrl()}${FILES_PATH}${this.teamId}-${o.id}`;
    return {
      id: o.id,
      created: now,
      timestamp: now,
      name: o.name,
      title: o.title,
      mimetype: o.mimeType,
      filetype,
      pretty_type: pretty,
      user: o.user,
      user_team: this.teamId,
      editable: false,
      size: o.size,
      mode: "hosted",
      is_external: false,
      external_type: "",
      is_public: false,
      public_url_shared: false,
      display_as_bot: false,
      username: "",
      url_private: `${base}/${name}`,
      url_private_download: `${base}/download/${name}`,
      permalink: `https://fake-workspace.slack.com/files/${o.user}/${o.id}/${name}`,
      is_starred: false,
      has_rich_preview: false,
      file_access: "visible",
    };
  }
}
