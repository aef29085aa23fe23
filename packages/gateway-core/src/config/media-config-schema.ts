import { z } from "zod";

// `tools.media`, OpenClaw's shape: the keys this gateway acts on are modelled here; OpenClaw's others (image and
// video understanding, CLI entries, auth profiles, scopes) are kept as written and reported as not implemented.

const bytes = z
  .int({ error: "expected a whole number of bytes" })
  .min(1, { error: "expected at least 1 byte" });
const seconds = z
  .number({ error: "expected a number of seconds" })
  .positive({ error: "expected more than 0 seconds" });
const chars = z.int({ error: "expected a whole number of characters" }).min(1);

const MediaModelEntrySchema = z
  .looseObject({
    type: z.enum(["provider", "cli"]).optional().meta({
      description:
        '"provider" (default) calls the provider\'s API; "cli" entries are not run by this gateway.',
    }),
    provider: z.string().min(1).optional().meta({
      description: "A models.providers id (its baseUrl and apiKey are used) or groq, openai, mistral.",
    }),
    model: z
      .string()
      .min(1)
      .optional()
      .meta({ description: "e.g. gpt-4o-transcribe, whisper-large-v3-turbo." }),
    baseUrl: z.url({ error: "expected a URL such as https://api.openai.com/v1" }).optional(),
    apiKey: z.string().min(1).optional(),
    headers: z.record(z.string(), z.string()).optional(),
    capabilities: z
      .array(z.enum(["image", "audio", "video"]))
      .optional()
      .meta({
        description:
          'Which media the entry handles; this gateway uses entries with "audio" for transcription.',
      }),
    language: z.string().min(1).optional(),
    prompt: z.string().optional(),
    maxBytes: bytes.optional(),
    maxChars: chars.optional(),
    timeoutSeconds: seconds.optional(),
  })
  .meta({ title: "Media model" });

const AudioMediaSchema = z
  .looseObject({
    enabled: z.boolean().optional().meta({ description: "false turns voice-note transcription off." }),
    models: z.array(MediaModelEntrySchema).optional().meta({
      description: "Transcription models tried in order; the first that answers wins.",
    }),
    preferredModel: z.string().optional().meta({ description: "provider/model to try first." }),
    baseUrl: z.url({ error: "expected a URL such as https://api.openai.com/v1" }).optional(),
    headers: z.record(z.string(), z.string()).optional(),
    language: z
      .string()
      .min(1)
      .optional()
      .meta({ description: "A language hint (e.g. en); unset detects it." }),
    prompt: z.string().optional(),
    maxBytes: bytes
      .optional()
      .meta({ description: "Largest audio file sent for transcription. Default 20 MB." }),
    maxChars: chars
      .optional()
      .meta({ description: "Cuts a transcript to this many characters. Default: unset." }),
    timeoutSeconds: seconds.optional().meta({ description: "Default 60." }),
  })
  .meta({ title: "Voice-note transcription" });

export const ToolsMediaSchema = z
  .looseObject({
    concurrency: z
      .int({ error: "expected a whole number" })
      .min(1)
      .max(16)
      .optional()
      .meta({ description: "Transcriptions running at once; more wait their turn. Default 2." }),
    models: z.array(MediaModelEntrySchema).optional().meta({
      description: 'Shared media models; entries with capabilities: ["audio"] transcribe voice notes.',
    }),
    audio: AudioMediaSchema.optional(),
  })
  .meta({ title: "Media understanding" });
