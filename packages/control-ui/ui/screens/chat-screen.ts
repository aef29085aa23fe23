import {
  attachmentProblem,
  chipOf,
  describeChip,
  MAX_ATTACHMENTS,
  readAttachment,
} from "../chat-attachments.js";
import { ChatLogView } from "../chat-log-view.js";
import { type AgentEventLike, type ChatEventLike, ChatTranscript } from "../chat-transcript.js";
import { button, h, replaceChildren } from "../element-builder.js";
import { errorMessage } from "../error-message.js";
import { historyRowsOf } from "../history-rows.js";
import type { Screen, ScreenContext } from "../screen.js";
import { StatusLine } from "../status-line.js";

const DEFAULT_SESSION_KEY = "main";

function isChatEvent(payload: unknown): payload is ChatEventLike {
  if (typeof payload !== "object" || payload === null) return false;
  const { runId, sessionKey, state } = payload as Record<string, unknown>;
  return typeof runId === "string" && typeof sessionKey === "string" && typeof state === "string";
}

function isAgentEvent(payload: unknown): payload is AgentEventLike {
  if (typeof payload !== "object" || payload === null) return false;
  const { runId, stream, sessionKey } = payload as Record<string, unknown>;
  return (
    typeof runId === "string" &&
    typeof stream === "string" &&
    (sessionKey === undefined || typeof sessionKey === "string")
  );
}

let idempotencyCounter = 0;
function newIdempotencyKey(): string {
  idempotencyCounter += 1;
  return globalThis.crypto?.randomUUID?.() ?? `ui-${Date.now()}-${idempotencyCounter}`;
}

export function renderChatScreen(context: ScreenContext): Screen {
  const { client } = context;
  const status = new StatusLine("chat");
  const sessionInput = h("input", {
    type: "text",
    id: "chat-session",
    list: "chat-session-options",
    value: context.route.param ?? DEFAULT_SESSION_KEY,
    "data-testid": "chat-session",
  });
  const sessionOptions = h("datalist", { id: "chat-session-options" });
  const log = new ChatLogView();
  const message = h("textarea", { id: "chat-message", rows: 3, "data-testid": "chat-message" });
  const send = h("button", { type: "submit", "data-testid": "chat-send" }, "Send");
  const fileInput = h("input", {
    type: "file",
    id: "chat-files",
    multiple: true,
    "data-testid": "chat-attach",
  });
  const pendingList = h("ul", { class: "attachments pending", "data-testid": "chat-pending", hidden: true });
  let pending: File[] = [];
  const abort = button(
    "Abort",
    { "data-testid": "chat-abort", class: "danger", hidden: true },
    () => void stop(),
  );
  let sessionKey = sessionInput.value.trim() || DEFAULT_SESSION_KEY;
  let transcript = new ChatTranscript(sessionKey);
  let disposed = false;

  const render = (): void => {
    log.render(transcript.entries);
    abort.hidden = !transcript.running;
  };

  const loadHistory = async (): Promise<void> => {
    const key = sessionKey;
    try {
      const history = await client.request("chat.history", { sessionKey: key, limit: 200 });
      if (disposed || key !== sessionKey) return;
      transcript.loadHistory(historyRowsOf(history.messages));
      render();
      status.info(history.messages.length === 0 ? `No messages in ${key} yet.` : `Session ${key}`);
    } catch (error) {
      if (!disposed) status.error(errorMessage(error));
    }
  };

  const switchSession = (): void => {
    const key = sessionInput.value.trim() || DEFAULT_SESSION_KEY;
    if (key === sessionKey) return;
    sessionKey = key;
    transcript = new ChatTranscript(key);
    render();
    historyLoaded = loadHistory();
  };

  const renderPending = (): void => {
    pendingList.hidden = pending.length === 0;
    replaceChildren(
      pendingList,
      ...pending.map((file, index) =>
        h(
          "li",
          { class: "attachment", "data-testid": "chat-pending-attachment" },
          describeChip(chipOf(file)),
          button("Remove", { class: "link", "aria-label": `Remove ${file.name}` }, () => {
            pending = pending.filter((_, at) => at !== index);
            renderPending();
          }),
        ),
      ),
    );
  };

  /** Picked files join the message; one the gateway would refuse is named in the status line and left out. */
  const pickFiles = (): void => {
    const ceilings = context.client.hello?.policy.attachments;
    const problems: string[] = [];
    for (const file of Array.from(fileInput.files ?? [])) {
      const problem =
        pending.length >= MAX_ATTACHMENTS
          ? `${file.name}: a message carries at most ${MAX_ATTACHMENTS} files`
          : attachmentProblem(file, ceilings);
      if (problem) problems.push(problem);
      else pending.push(file);
    }
    fileInput.value = "";
    renderPending();
    if (problems.length > 0) status.error(`Not attached: ${problems.join("; ")}.`);
  };

  const submit = async (): Promise<void> => {
    switchSession();
    const text = message.value;
    const files = pending;
    if (text.trim() === "" && files.length === 0) return;
    message.value = "";
    pending = [];
    renderPending();
    // History replaces the transcript, so it must be in before the new message is added.
    await historyLoaded;
    const key = sessionKey;
    const target = transcript;
    target.addUserMessage(text, files.map(chipOf));
    render();
    try {
      const attachments = await Promise.all(files.map(readAttachment));
      const ack = await client.request("chat.send", {
        sessionKey: key,
        message: text,
        idempotencyKey: newIdempotencyKey(),
        ...(attachments.length > 0 ? { attachments } : {}),
      });
      target.trackRun(ack.runId, ack.sessionKey);
      if (target === transcript) render();
      status.info(ack.queued === true ? "Queued behind the running answer." : "");
    } catch (error) {
      target.sendFailed();
      status.error(errorMessage(error));
    }
  };

  const stop = async (): Promise<void> => {
    const runId = transcript.activeRunId;
    try {
      await client.request("chat.abort", runId ? { sessionKey, runId } : { sessionKey });
    } catch (error) {
      status.error(errorMessage(error));
    }
  };

  const unsubscribers = [
    client.on("chat", (payload) => {
      if (isChatEvent(payload) && transcript.apply(payload)) render();
    }),
    client.on("agent", (payload) => {
      if (isAgentEvent(payload) && transcript.applyAgentEvent(payload)) render();
    }),
  ];

  sessionInput.addEventListener("change", switchSession);
  fileInput.addEventListener("change", pickFiles);
  message.addEventListener("keydown", (event) => {
    // Enter sends, Shift+Enter adds a line, as in most chat apps.
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      void submit();
    }
  });
  const form = h(
    "form",
    { class: "composer", "data-testid": "chat-form" },
    h("label", { for: "chat-message" }, "Message"),
    message,
    pendingList,
    h(
      "div",
      { class: "toolbar" },
      send,
      h("label", { for: "chat-files", class: "attach" }, "Attach files"),
      fileInput,
      abort,
    ),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void submit();
  });

  client.request("sessions.list", { limit: 100 }).then(
    (result) => {
      if (disposed) return;
      replaceChildren(
        sessionOptions,
        ...result.sessions.map((session) => h("option", { value: session.key })),
      );
    },
    () => {
      // Only the suggestions are missing; typing a key still works.
    },
  );
  let historyLoaded = loadHistory();

  const element = h(
    "section",
    { "aria-labelledby": "chat-title", "data-testid": "screen-chat", class: "chat" },
    h("h2", { id: "chat-title" }, "Chat"),
    h(
      "div",
      { class: "toolbar" },
      h("label", { for: "chat-session" }, "Session"),
      sessionInput,
      sessionOptions,
    ),
    log.element,
    form,
    status.element,
  );
  return {
    element,
    dispose: () => {
      disposed = true;
      for (const unsubscribe of unsubscribers) unsubscribe();
    },
  };
}
