import { createCipheriv, createHash, createHmac, hkdfSync, randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A loopback stand-in for WhatsApp's media CDN (`mmg.whatsapp.net`). WhatsApp media is end-to-end encrypted: the
 * sender uploads AES-256-CBC ciphertext plus a truncated HMAC, and the message carries the `mediaKey` the keys are
 * derived from. The fake encrypts exactly that way (HKDF-SHA256 with WhatsApp's per-type info strings), so an
 * adapter's download runs Baileys' real `downloadContentFromMessage`: fetch, key derivation and decryption.
 *
 * Messages point at it by `url` only, with no `directPath`: Baileys prefers `https://<host><directPath>`, which
 * cannot reach a plain-HTTP loopback server, and falls back to `url` when the path is absent.
 */

/** Baileys' `MediaType` names the fake serves, and the HKDF info each derives keys with. */
const HKDF_INFO = {
  image: "WhatsApp Image Keys",
  sticker: "WhatsApp Image Keys",
  video: "WhatsApp Video Keys",
  audio: "WhatsApp Audio Keys",
  document: "WhatsApp Document Keys",
} as const;
export type FakeWhatsAppMediaType = keyof typeof HKDF_INFO;

/** The media fields of a message whose file the CDN serves. */
export interface FakeWhatsAppEncryptedMedia {
  url: string;
  mediaKey: Uint8Array;
  mediaKeyTimestamp: number;
  fileSha256: Uint8Array;
  fileEncSha256: Uint8Array;
  fileLength: number;
}

/** Encrypts `plain` as a WhatsApp client does before uploading: ciphertext followed by 10 bytes of HMAC. */
export function encryptWhatsAppMedia(
  plain: Uint8Array,
  mediaType: FakeWhatsAppMediaType,
  mediaKey: Uint8Array = randomBytes(32),
): { mediaKey: Uint8Array; encrypted: Uint8Array; fileSha256: Uint8Array; fileEncSha256: Uint8Array } {
  const expanded = Buffer.from(hkdfSync("sha256", mediaKey, Buffer.alloc(0), HKDF_INFO[mediaType], 112));
  const iv = expanded.subarray(0, 16);
  const cipherKey = expanded.subarray(16, 48);
  const macKey = expanded.subarray(48, 80);
  const cipher = createCipheriv("aes-256-cbc", cipherKey, iv);
  const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
  const mac = createHmac("sha256", macKey).update(iv).update(ciphertext).digest().subarray(0, 10);
  const encrypted = Buffer.concat([ciphertext, mac]);
  return {
    mediaKey,
    encrypted,
    fileSha256: createHash("sha256").update(plain).digest(),
    fileEncSha256: createHash("sha256").update(encrypted).digest(),
  };
}

export class FakeWhatsAppMediaCdn {
  readonly #files = new Map<string, Uint8Array>();
  #server: Server | undefined;
  #listening: Promise<string> | undefined;
  #counter = 0;
  /** Paths fetched so far, in order: a test can check that an oversized file was never requested. */
  readonly requests: string[] = [];
  /** `false`: answer without `content-length` (chunked), so a client must cap the body while reading it. */
  sendContentLength = true;

  /** Encrypts `plain` and serves it; returns the media fields a message carries for it. */
  async host(plain: Uint8Array, mediaType: FakeWhatsAppMediaType): Promise<FakeWhatsAppEncryptedMedia> {
    const origin = await this.#listen();
    const { mediaKey, encrypted, fileSha256, fileEncSha256 } = encryptWhatsAppMedia(plain, mediaType);
    this.#counter += 1;
    const path = `/v/t62.7118-24/fake_${this.#counter}_${randomBytes(6).toString("hex")}.enc`;
    this.#files.set(path, encrypted);
    return {
      url: `${origin}${path}?mms3=true`,
      mediaKey,
      mediaKeyTimestamp: Math.floor(Date.now() / 1000),
      fileSha256,
      fileEncSha256,
      fileLength: plain.byteLength,
    };
  }

  /** The CDN forgets a file, as WhatsApp does after a few weeks: fetching it then answers 404. */
  expire(url: string): void {
    this.#files.delete(new URL(url).pathname);
  }

  #listen(): Promise<string> {
    this.#listening ??= new Promise((resolve, reject) => {
      const server = createServer((request, response) => {
        const path = new URL(request.url ?? "/", "http://cdn").pathname;
        this.requests.push(path);
        const file = this.#files.get(path);
        if (request.method !== "GET" || file === undefined) {
          response.writeHead(404).end();
          return;
        }
        response.writeHead(200, {
          "content-type": "application/octet-stream",
          ...(this.sendContentLength ? { "content-length": String(file.byteLength) } : {}),
        });
        // Chunked answers come in pieces, as a slow CDN's would.
        if (this.sendContentLength) response.end(file);
        else {
          for (let offset = 0; offset < file.byteLength; offset += 16_384) {
            response.write(file.subarray(offset, offset + 16_384));
          }
          response.end();
        }
      });
      // A test that forgets close() must not keep the process alive.
      server.unref();
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo;
        resolve(`http://127.0.0.1:${port}`);
      });
      this.#server = server;
    });
    return this.#listening;
  }

  async close(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    this.#listening = undefined;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
