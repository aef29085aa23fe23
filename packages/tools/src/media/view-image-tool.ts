import type { AgentTool, ToolModelOutput } from "@openclaw/agent";
import { z } from "zod";
import { formatBytes } from "../fs/fs-limits.js";
import type { FsToolsOptions } from "../fs/fs-tool-context.js";
import { parseToolArgs } from "../fs/fs-tool-context.js";
import { PATH_MAX_CHARS } from "../fs/workspace-path.js";
import { ToolError } from "../tool-error.js";
import { imagesModelOutput, type ToolImage } from "./image-model-output.js";
import { IMAGE_MAX_BYTES } from "./image-sniff.js";
import { type ImageFetcher, loadImage } from "./image-source.js";

export const VIEW_IMAGE_DEFAULT_MAX_IMAGES = 20;
/** All images of one call together; a context full of images leaves no room for the answer. */
export const VIEW_IMAGE_MAX_TOTAL_BYTES = 20 * 1024 * 1024;
const REFERENCES_MAX = 50;
/** A data: URL of the largest image, in base64. */
const REFERENCE_MAX_CHARS = Math.ceil((IMAGE_MAX_BYTES * 4) / 3) + 100;

export interface ViewImageToolOptions extends FsToolsOptions {
  /** Without it, URLs are refused; the integrator wires the SSRF-guarded fetch here. */
  fetchImage?: ImageFetcher;
}

export const ViewImageArgsSchema = z.object({
  prompt: z
    .string()
    .max(PATH_MAX_CHARS)
    .optional()
    .describe(
      "What to look for. The images come back to you directly, so this is a note, not an instruction to another model.",
    ),
  path: z.string().max(REFERENCE_MAX_CHARS).optional().describe("One local image path or permitted URL."),
  paths: z
    .array(z.string().max(REFERENCE_MAX_CHARS))
    .max(REFERENCES_MAX)
    .optional()
    .describe("Local image paths or permitted URLs; maxImages default 20."),
  maxBytesMb: z
    .number()
    .positive()
    .optional()
    .describe(`Largest image to load, in MB (at most ${IMAGE_MAX_BYTES / (1024 * 1024)}).`),
  maxImages: z.number().int().positive().optional().describe("Most images to load; default 20."),
});

export interface ViewImageResult {
  images: ToolImage[];
}

/** OpenClaw's `view_image`, for a vision-capable model: the images are handed to the model itself. */
export function createViewImageTool(options: ViewImageToolOptions): AgentTool {
  return {
    name: "view_image",
    description:
      "Load image(s) into your own context to look at them: path takes one workspace image path or permitted URL; paths takes several (maxImages, default 20). Does not show, attach or send anything to the user.",
    parameters: ViewImageArgsSchema,
    async execute(rawArgs, ctx): Promise<ViewImageResult> {
      const args = parseToolArgs("view_image", ViewImageArgsSchema, rawArgs);
      const references = distinctReferences([
        ...(args.path === undefined ? [] : [args.path]),
        ...(args.paths ?? []),
      ]);
      if (references.length === 0) throw new ToolError("INVALID_ARGUMENTS", "view_image: pass path or paths");
      const maxImages = args.maxImages ?? VIEW_IMAGE_DEFAULT_MAX_IMAGES;
      if (references.length > maxImages) {
        throw new ToolError(
          "INVALID_ARGUMENTS",
          `Too many images: ${references.length} given, maxImages is ${maxImages}. Ask for fewer.`,
        );
      }
      const maxBytes = Math.min(
        IMAGE_MAX_BYTES,
        Math.floor((args.maxBytesMb ?? Number.POSITIVE_INFINITY) * 1024 * 1024),
      );
      const images: ToolImage[] = [];
      let total = 0;
      for (const reference of references) {
        ctx.signal.throwIfAborted();
        const image = await loadImage(reference, {
          options,
          agentId: ctx.agentId,
          signal: ctx.signal,
          maxBytes,
        });
        total += image.bytes;
        if (total > VIEW_IMAGE_MAX_TOTAL_BYTES) {
          throw new ToolError(
            "TOO_LARGE",
            `these images add up to more than ${formatBytes(VIEW_IMAGE_MAX_TOTAL_BYTES)}; load fewer per call`,
          );
        }
        images.push(image);
      }
      return { images };
    },
    toModelOutput: viewImageModelOutput,
  };
}

function distinctReferences(candidates: readonly string[]): string[] {
  const seen = new Set<string>();
  const distinct: string[] = [];
  for (const candidate of candidates) {
    const key = candidate.trim().replace(/^@/, "").trim();
    if (key === "" || seen.has(key)) continue;
    seen.add(key);
    distinct.push(candidate.trim());
  }
  return distinct;
}

function viewImageModelOutput(result: unknown): ToolModelOutput {
  const { images } = result as ViewImageResult;
  const list = images
    .map((image) => `${image.source} [${image.mediaType}, ${formatBytes(image.bytes)}]`)
    .join("; ");
  const noun = images.length === 1 ? "image" : "images";
  return imagesModelOutput(
    `Loaded ${images.length} ${noun} into your context for inspection (not shown or sent to the user): ${list}`,
    images,
  );
}
