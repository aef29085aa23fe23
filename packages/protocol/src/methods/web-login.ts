import { z } from "zod";
import { lazySchemas } from "../lazy-schemas.js";
import { LIMITS } from "../limits.js";

/** The oracle caps a data URL a client may echo back; a rendered WhatsApp QR is well under it. */
export const QR_DATA_URL_MAX_LENGTH = 16_384;

/** Built on first use (see lazySchemas). */
function buildWebLoginSchemas() {
  /**
   * `web.login.*`: linking a channel account by scanning a QR code (WhatsApp Web). The gateway picks the first
   * configured channel whose plugin can link by QR and renders the platform's QR string as a PNG data URL, so a
   * browser can show it in an `<img>` without a QR library.
   */

  const QR_DATA_URL_PREFIX = "data:image/png;base64,";

  const QrDataUrlSchema = z
    .string()
    .max(QR_DATA_URL_MAX_LENGTH)
    .regex(/^data:image\/png;base64,/, { error: `must start with "${QR_DATA_URL_PREFIX}"` });

  const WebLoginStartParamsSchema = z.strictObject({
    /** Drop the stored session and start linking afresh, even when the account is linked. */
    force: z.boolean().optional(),
    /** How long to wait for the platform's first QR code. */
    timeoutMs: z.int().min(0).optional(),
    verbose: z.boolean().optional(),
    accountId: z.string().max(LIMITS.idChars).optional(),
  });

  const WebLoginStartResultSchema = z.object({
    /** Absent when the account is already linked (see `message`) or no QR arrived in time. */
    qrDataUrl: QrDataUrlSchema.optional(),
    message: z.string(),
  });

  const WebLoginWaitParamsSchema = z.strictObject({
    timeoutMs: z.int().min(0).optional(),
    accountId: z.string().max(LIMITS.idChars).optional(),
    /** The QR the client shows now: the wait also ends when the platform replaces it, returning the new one. */
    currentQrDataUrl: QrDataUrlSchema.optional(),
  });

  const WebLoginWaitResultSchema = z.object({
    connected: z.boolean(),
    message: z.string(),
    /** A fresh QR when the previous one expired while waiting. */
    qrDataUrl: QrDataUrlSchema.optional(),
  });

  return {
    QrDataUrlSchema,
    WebLoginStartParamsSchema,
    WebLoginStartResultSchema,
    WebLoginWaitParamsSchema,
    WebLoginWaitResultSchema,
  };
}

const schemas = lazySchemas(buildWebLoginSchemas);

export const QrDataUrlSchema = z.lazy(() => schemas().QrDataUrlSchema);
export const WebLoginStartParamsSchema = z.lazy(() => schemas().WebLoginStartParamsSchema);
export const WebLoginStartResultSchema = z.lazy(() => schemas().WebLoginStartResultSchema);
export const WebLoginWaitParamsSchema = z.lazy(() => schemas().WebLoginWaitParamsSchema);
export const WebLoginWaitResultSchema = z.lazy(() => schemas().WebLoginWaitResultSchema);

export type WebLoginStartParams = z.infer<typeof WebLoginStartParamsSchema>;
export type WebLoginStartResult = z.infer<typeof WebLoginStartResultSchema>;
export type WebLoginWaitParams = z.infer<typeof WebLoginWaitParamsSchema>;
export type WebLoginWaitResult = z.infer<typeof WebLoginWaitResultSchema>;
