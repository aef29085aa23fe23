import { z } from "zod";

/** The `tools.fs` config section. */
export const FsToolsConfigSchema = z.looseObject({
  /**
   * Confine read, write, edit, apply_patch and view_image to the agent's workspace. True by default here (OpenClaw
   * defaults to false): an assistant reachable from chat should not write outside its own folder unless told to.
   */
  workspaceOnly: z.boolean().default(true),
});

export type FsToolsConfig = z.infer<typeof FsToolsConfigSchema>;
