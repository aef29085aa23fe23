import { createHash } from "node:crypto";
import { GatewayError } from "@openclaw/client";
import { describe, expect, it } from "vitest";
import { contentHash, fileStateLabel, formatFileSize, isFileConflict } from "./workspace-files.js";

describe("workspace files", () => {
  it("formats sizes", () => {
    expect(formatFileSize(0)).toBe("0 B");
    expect(formatFileSize(1023)).toBe("1023 B");
    expect(formatFileSize(1536)).toBe("1.5 KB");
    expect(formatFileSize(3 * 1024 * 1024)).toBe("3.0 MB");
  });

  it("says whether a file is there, missing, or optional and not created", () => {
    expect(fileStateLabel({ name: "SOUL.md", missing: false, size: 2048 })).toBe("2.0 KB");
    expect(fileStateLabel({ name: "SOUL.md", missing: true })).toBe("missing");
    expect(fileStateLabel({ name: "MEMORY.md", missing: true, expectedAbsent: true })).toBe(
      "not created (optional)",
    );
  });

  it("recognises a conflict by our detail code and by OpenClaw's detail type", () => {
    const ours = new GatewayError("INVALID_REQUEST", "changed", { details: { code: "AGENT_FILE_CONFLICT" } });
    const openclaw = new GatewayError("INVALID_REQUEST", "changed", {
      details: { type: "agent_file_conflict" },
    });
    expect(isFileConflict(ours)).toBe(true);
    expect(isFileConflict(openclaw)).toBe(true);
    expect(isFileConflict(new GatewayError("INVALID_REQUEST", "unsupported file"))).toBe(false);
    expect(isFileConflict(new Error("AGENT_FILE_CONFLICT"))).toBe(false);
  });

  it("hashes content as the gateway does (sha256 of the UTF-8 bytes)", async () => {
    const text = "Be calm. Ünïcode ✓\n";
    expect(await contentHash(text)).toBe(createHash("sha256").update(text, "utf8").digest("hex"));
  });
});
