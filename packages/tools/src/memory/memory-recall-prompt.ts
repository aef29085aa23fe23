/**
 * The system prompt's "Memory Recall" section for a run that offers memory tools (OpenClaw adds one too), telling
 * the model to look before it answers from memory. Empty when neither tool is offered.
 */
export function memoryRecallPromptSection(offeredTools: ReadonlySet<string>): string {
  const search = offeredTools.has("memory_search");
  const get = offeredTools.has("memory_get");
  if (!search && !get) return "";
  const lookFirst = search
    ? `Before answering anything about earlier work, decisions, dates, people, preferences or todos, run memory_search${get ? ", then memory_get for only the lines you need" : ""}. If nothing convincing turns up, say that you checked.`
    : "Before answering anything about earlier work, decisions, dates, people, preferences or todos that a memory file holds, read just the lines you need with memory_get.";
  return [
    "## Memory Recall",
    lookFirst,
    "When a memory tool answers with a warning, tell the user the recall may be partial.",
    "Cite a memory as Source: <path#line> when that helps the user check it.",
  ].join("\n");
}
