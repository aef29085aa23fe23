import { z } from "zod";

/**
 * `canvasHost`: OpenClaw's older section for the canvas host. OpenClaw 2026.9.6 serves the canvas on the gateway port
 * (`/__openclaw__/canvas/`, `/__openclaw__/a2ui/`) and keeps only `plugins.entries.canvas.config.host.enabled`; this
 * gateway serves the same paths and still reads `enabled`, `root` and `liveReload` from here. `port` is reported as
 * unsupported: there is no second listener.
 */
export const CanvasHostConfigSchema = z
  .looseObject({
    enabled: z.boolean().optional().meta({
      title: "Canvas host enabled",
      description:
        "Default true. plugins.entries.canvas.config.host.enabled wins; OPENCLAW_SKIP_CANVAS_HOST=1 turns it off.",
    }),
    root: z.string().min(1).max(4096).optional().meta({
      title: "Canvas folder",
      description: "The folder served under /__openclaw__/canvas/. Default: <agent workspace>/canvas.",
    }),
    liveReload: z.boolean().optional().meta({
      title: "Live reload",
      description: "Default true: pages reload when a file under the canvas folder changes.",
    }),
  })
  .meta({ title: "Canvas host" });

export type CanvasHostConfig = z.infer<typeof CanvasHostConfigSchema>;
