/** An SSE frame carrying only `data:` (OpenAI Chat Completions style). */
export function dataFrame(payload: unknown): string {
  return `data: ${typeof payload === "string" ? payload : JSON.stringify(payload)}\n\n`;
}

/** An SSE frame with a named event (OpenAI Responses and Anthropic Messages style). */
export function eventFrame(event: string, payload: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
}

/**
 * A streamed answer: `content` frames are written with the reply's chunk delay between them; `ending` frames
 * close the answer and are withheld when the reply hangs, so the client sees a model that stalled mid-answer.
 */
export interface StreamPlan {
  content: string[];
  ending: string[];
}
