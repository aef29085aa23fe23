import { z } from "zod";

/** What a file is to a conversation; the same names as `@openclaw/plugin-sdk`'s `MediaKind`. */
export const MediaKindSchema = z.enum(["image", "audio", "voice", "video", "document", "sticker"]);
export type MediaKind = z.infer<typeof MediaKindSchema>;
