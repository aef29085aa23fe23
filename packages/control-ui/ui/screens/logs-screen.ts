import { button, h } from "../element-builder.js";
import { errorMessage } from "../error-message.js";
import { formatLogLine } from "../log-line-format.js";
import { LogsTailPoller } from "../logs-tail-poller.js";
import type { Screen, ScreenContext } from "../screen.js";
import { StatusLine } from "../status-line.js";

/** Lines kept on screen; older ones are dropped so a chatty gateway cannot grow the page without bound. */
const MAX_LINES = 2000;

export function renderLogsScreen(context: ScreenContext): Screen {
  const { client } = context;
  const status = new StatusLine("logs");
  const output = h("pre", {
    class: "logs",
    tabindex: 0,
    role: "log",
    "aria-label": "Gateway log lines",
    "data-testid": "logs-output",
  });
  const follow = h("input", { type: "checkbox", id: "logs-follow", checked: true });
  let lineCount = 0;

  const poller = new LogsTailPoller({
    fetchPage: (cursor) =>
      client.request("logs.tail", cursor === undefined ? { limit: 500 } : { cursor, limit: 500 }),
    onLines: (lines, reset) => {
      if (reset) {
        output.textContent = "";
        lineCount = 0;
      }
      for (const line of lines) {
        const formatted = formatLogLine(line);
        output.append(h("span", { class: `log-line ${formatted.level ?? ""}` }, `${formatted.text}\n`));
      }
      lineCount += lines.length;
      while (lineCount > MAX_LINES && output.firstChild) {
        output.firstChild.remove();
        lineCount -= 1;
      }
      if (follow.checked) output.scrollTop = output.scrollHeight;
      status.info(`${lineCount} lines, live`);
    },
    onError: (error) => status.error(errorMessage(error)),
  });
  poller.start();

  const pause = button("Pause", { "data-testid": "logs-pause", "aria-pressed": "false" }, () => {
    const paused = pause.getAttribute("aria-pressed") === "true";
    if (paused) poller.start();
    else poller.stop();
    pause.setAttribute("aria-pressed", paused ? "false" : "true");
    pause.textContent = paused ? "Pause" : "Resume";
    status.info(paused ? "Live" : "Paused");
  });

  const element = h(
    "section",
    { "aria-labelledby": "logs-title", "data-testid": "screen-logs", class: "logs-screen" },
    h("h2", { id: "logs-title" }, "Logs"),
    h(
      "div",
      { class: "toolbar" },
      pause,
      h("label", { for: "logs-follow", class: "choice" }, follow, " Follow the end"),
    ),
    output,
    status.element,
  );
  return { element, dispose: () => poller.stop() };
}
