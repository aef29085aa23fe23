import { describe, expect, it } from "vitest";
import { resolveCanvasTarget } from "./canvas-target.js";

const ORIGIN = "http://127.0.0.1:18789";

describe("resolveCanvasTarget", () => {
  it("maps files of the canvas folder and hosted paths to gateway paths", () => {
    expect(resolveCanvasTarget("", ORIGIN)).toEqual({ ok: true, path: "/__openclaw__/canvas/" });
    expect(resolveCanvasTarget("deck/index.html", ORIGIN)).toEqual({
      ok: true,
      path: "/__openclaw__/canvas/deck/index.html",
    });
    expect(resolveCanvasTarget("/__openclaw__/a2ui/?src=/__openclaw__/canvas/ui.jsonl", ORIGIN)).toEqual({
      ok: true,
      path: "/__openclaw__/a2ui/?src=/__openclaw__/canvas/ui.jsonl",
    });
    // A capability URL from another session: only the path is kept, the panel adds its own capability.
    expect(
      resolveCanvasTarget(
        `${ORIGIN}/__openclaw__/cap/abcdefghijklmnopqrstuvwx/__openclaw__/canvas/a.html#top`,
        ORIGIN,
      ),
    ).toEqual({ ok: true, path: "/__openclaw__/canvas/a.html#top" });
  });

  it("refuses other sites, schemes, local files and gateway paths outside the canvas", () => {
    for (const target of [
      "https://example.com/",
      "javascript:alert(1)",
      "file:///etc/passwd",
      "//example.com/__openclaw__/canvas/",
      "/v1/models",
      "/__openclaw__/canvas/../../v1/models",
      "x".repeat(3000),
    ]) {
      expect(resolveCanvasTarget(target, ORIGIN).ok, target).toBe(false);
    }
    const refused = resolveCanvasTarget("https://example.com/", ORIGIN);
    expect(refused.ok === false && refused.error).toContain("is not this gateway");
  });
});
