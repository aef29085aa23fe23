import type { ChannelAccountState, ChannelLogger } from "@openclaw/plugin-sdk";
import { z } from "zod";

/** Where the account's last handled update id is kept in `ctx.state` (the OpenClaw state import writes it too). */
export const UPDATE_OFFSET_STATE_KEY = "telegram.update-offset";

const StoredOffsetSchema = z.object({ lastUpdateId: z.int().min(0), botId: z.int() });
export type StoredUpdateOffset = z.infer<typeof StoredOffsetSchema>;

/**
 * The getUpdates offset to resume from after a restart: one past the last update this bot handled, so nothing
 * Telegram still holds is answered twice. A stored offset of another bot (the token changed) is ignored.
 */
export async function readResumeOffset(
  state: ChannelAccountState | undefined,
  botId: number,
  logger: ChannelLogger,
): Promise<number | undefined> {
  if (!state) return undefined;
  let raw: unknown;
  try {
    raw = await state.get(UPDATE_OFFSET_STATE_KEY);
  } catch (error) {
    logger.warn("telegram update offset could not be read; starting from Telegram's pending updates", {
      error: error instanceof Error ? error.message : String(error),
    });
    return undefined;
  }
  const stored = StoredOffsetSchema.safeParse(raw);
  if (!stored.success || stored.data.botId !== botId) return undefined;
  return stored.data.lastUpdateId + 1;
}

/**
 * Records each handled update id durably before the next getUpdates confirms it to Telegram. A failed write is
 * logged (once until one succeeds again) and polling goes on: at worst a restart sees a few updates again.
 */
export function updateOffsetRecorder(
  state: ChannelAccountState | undefined,
  botId: number,
  logger: ChannelLogger,
): ((updateId: number) => Promise<void>) | undefined {
  if (!state) return undefined;
  let failing = false;
  return async (updateId) => {
    try {
      await state.set(UPDATE_OFFSET_STATE_KEY, {
        lastUpdateId: updateId,
        botId,
      } satisfies StoredUpdateOffset);
      failing = false;
    } catch (error) {
      if (!failing) {
        logger.warn("telegram update offset could not be stored; a restart may see these updates again", {
          error: error instanceof Error ? error.message : String(error),
        });
      }
      failing = true;
    }
  };
}
