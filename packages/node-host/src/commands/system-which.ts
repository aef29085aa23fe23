import { constants } from "node:fs";
import { access } from "node:fs/promises";
import { delimiter, join } from "node:path";
import { z } from "zod";

export const SystemWhichParamsSchema = z.looseObject({
  bins: z.array(z.string().min(1).max(256)).max(256),
});

/** OpenClaw's `system.which`: the path of each named executable found on PATH; missing ones are left out. */
export async function whichBins(
  params: z.infer<typeof SystemWhichParamsSchema>,
  pathEnv = process.env.PATH ?? "",
): Promise<{ bins: Record<string, string> }> {
  const dirs = pathEnv.split(delimiter).filter(Boolean);
  const found: Record<string, string> = {};
  for (const bin of params.bins) {
    // A name with a separator is a path, not something to look up.
    if (bin.includes("/") || bin.includes("\\")) continue;
    for (const dir of dirs) {
      const candidate = join(dir, bin);
      const executable = await access(candidate, constants.X_OK).then(
        () => true,
        () => false,
      );
      if (executable) {
        found[bin] = candidate;
        break;
      }
    }
  }
  return { bins: found };
}
