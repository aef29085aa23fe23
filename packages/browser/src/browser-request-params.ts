import { z } from "zod";

/**
 * The params of OpenClaw's `browser.request` gateway method (operator.admin): one call of the browser control API,
 * `{ method, path, query, body }`, e.g. `{ method: "GET", path: "/tabs", query: { profile: "openclaw" } }`.
 */
export const BrowserRequestParamsSchema = z.looseObject({
  method: z
    .string()
    .max(8)
    .transform((method) => method.toUpperCase())
    .pipe(z.enum(["GET", "POST", "DELETE"], { error: "method must be GET, POST or DELETE" })),
  path: z.string().min(1).max(1024).regex(/^\//, { error: "path must start with /" }),
  query: z.record(z.string().max(64), z.union([z.string().max(8192), z.number(), z.boolean()])).optional(),
  body: z.unknown().optional(),
  timeoutMs: z.int().min(1).max(600_000).optional(),
  /** OpenClaw routes to a browser node with "node"; this gateway drives the browser on its own host only. */
  target: z.enum(["host", "node"]).optional(),
  node: z.string().max(256).optional(),
});

export type BrowserRequestParams = z.infer<typeof BrowserRequestParamsSchema>;
