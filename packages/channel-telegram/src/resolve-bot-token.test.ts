import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resolveBotToken } from "./resolve-bot-token.js";
import { TelegramChannelError } from "./telegram-channel-error.js";
import { TelegramConfigSchema } from "./telegram-config.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "openclaw-telegram-token-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("resolveBotToken", () => {
  it("prefers tokenFile (trimmed) over botToken over TELEGRAM_BOT_TOKEN", async () => {
    const file = join(dir, "token");
    await writeFile(file, "  111:file\n");
    expect(await resolveBotToken({ tokenFile: file, botToken: "222:config" }, "default", {})).toBe(
      "111:file",
    );
    expect(
      await resolveBotToken({ botToken: "222:config" }, "default", { TELEGRAM_BOT_TOKEN: "333:env" }),
    ).toBe("222:config");
    expect(await resolveBotToken({}, "default", { TELEGRAM_BOT_TOKEN: "333:env" })).toBe("333:env");
  });

  it("never lends the env token to a named account and says how to set one", async () => {
    const missing = resolveBotToken({}, "work", { TELEGRAM_BOT_TOKEN: "333:env" });
    await expect(missing).rejects.toBeInstanceOf(TelegramChannelError);
    await expect(missing).rejects.toMatchObject({
      code: "TELEGRAM_TOKEN_MISSING",
      message: expect.stringContaining(
        "openclaw config set channels.telegram.accounts.work.botToken <token>",
      ),
    });
  });

  it("reports an unreadable or empty token file", async () => {
    await expect(resolveBotToken({ tokenFile: join(dir, "absent") }, "default", {})).rejects.toMatchObject({
      code: "TELEGRAM_TOKEN_FILE_UNREADABLE",
    });
    const empty = join(dir, "empty");
    await writeFile(empty, "\n");
    await expect(resolveBotToken({ tokenFile: empty }, "default", {})).rejects.toMatchObject({
      code: "TELEGRAM_TOKEN_MISSING",
    });
  });
});

describe("TelegramConfigSchema", () => {
  it("fills defaults and tolerates the gateway's access-policy keys", () => {
    const config = TelegramConfigSchema.parse({
      botToken: "1:a",
      dmPolicy: "pairing",
      groups: { "*": {} },
      extra: 1,
    });
    expect(config).toMatchObject({
      apiRoot: "https://api.telegram.org",
      mode: "polling",
      pollTimeoutSeconds: 30,
    });
  });

  it("rejects an apiRoot with a trailing slash or /bot<token>, and webhook mode without a URL", () => {
    expect(TelegramConfigSchema.safeParse({ apiRoot: "https://api.telegram.org/" }).success).toBe(false);
    expect(TelegramConfigSchema.safeParse({ apiRoot: "https://api.telegram.org/bot1:a" }).success).toBe(
      false,
    );
    const webhook = TelegramConfigSchema.safeParse({ mode: "webhook" });
    expect(webhook.error?.issues[0]?.message).toContain("set channels.telegram.webhook.url");
  });
});
