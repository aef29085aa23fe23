import { describe, expect, it } from "vitest";
import { pdfWithPages, tinyPng } from "./__fixtures__/media-bytes.js";
import { extractDocumentText, isExtractableDocument } from "./document-text.js";

const text = (value: string) => new TextEncoder().encode(value);

describe("extractDocumentText", () => {
  it("returns plain text, Markdown, CSV and JSON as written", async () => {
    expect(await extractDocumentText(text("hello"), "text/plain")).toEqual({
      text: "hello",
      truncated: false,
    });
    expect((await extractDocumentText(text("# Title\n\n- item"), "text/markdown"))?.text).toBe(
      "# Title\n\n- item",
    );
    expect((await extractDocumentText(text("a,b\n1,2"), "text/csv; charset=utf-8"))?.text).toBe("a,b\n1,2");
    expect((await extractDocumentText(text('{"k":[1,2]}'), "application/json"))?.text).toBe('{"k":[1,2]}');
    // A byte-order mark is not part of the text.
    expect(
      (await extractDocumentText(new Uint8Array([0xef, 0xbb, 0xbf, 0x68, 0x69]), "text/plain"))?.text,
    ).toBe("hi");
  });

  it("cuts text at maxChars and says so", async () => {
    expect(await extractDocumentText(text("abcdefghij"), "text/plain", { maxChars: 4 })).toEqual({
      text: "abcd",
      truncated: true,
    });
    const long = text("x".repeat(10_000));
    expect(await extractDocumentText(long, "text/plain", { maxChars: 100 })).toEqual({
      text: "x".repeat(100),
      truncated: true,
    });
  });

  it("reads a PDF's text page by page and reports the page count", async () => {
    const pdf = await pdfWithPages(["Quarterly report", "Revenue grew 12 percent"]);
    const before = new Uint8Array(pdf);
    const result = await extractDocumentText(pdf, "application/pdf");
    expect(result?.pages).toBe(2);
    expect(result?.truncated).toBe(false);
    expect(result?.text).toContain("Quarterly report");
    expect(result?.text).toContain("Revenue grew 12 percent");
    expect(result?.text.indexOf("Quarterly")).toBeLessThan(result?.text.indexOf("Revenue") ?? 0);
    // The caller's bytes are untouched (pdf.js gets a copy).
    expect(pdf).toEqual(before);
  });

  it("stops at maxPages and maxChars for a PDF", async () => {
    const pdf = await pdfWithPages(["page one", "page two", "page three"]);
    const twoPages = await extractDocumentText(pdf, "application/pdf", { maxPages: 2 });
    expect(twoPages).toMatchObject({ pages: 3, truncated: true });
    expect(twoPages?.text).toContain("page two");
    expect(twoPages?.text).not.toContain("page three");
    const short = await extractDocumentText(pdf, "application/pdf", { maxChars: 5 });
    expect(short).toMatchObject({ text: "page ", truncated: true });
  });

  it("leaves a PDF over maxPdfBytes unparsed, so a huge upload never stalls the gateway", async () => {
    const pdf = await pdfWithPages(["page one"]);
    expect(
      await extractDocumentText(pdf, "application/pdf", { maxPdfBytes: pdf.byteLength - 1 }),
    ).toBeUndefined();
    expect(await extractDocumentText(pdf, "application/pdf", { maxPdfBytes: pdf.byteLength })).toMatchObject({
      pages: 1,
    });
  });

  it("answers undefined for a broken PDF and for types with no text", async () => {
    expect(
      await extractDocumentText(text("%PDF-1.7\nthis is not really a pdf"), "application/pdf"),
    ).toBeUndefined();
    const pdf = await pdfWithPages(["cut short"]);
    expect(await extractDocumentText(pdf.subarray(0, 200), "application/pdf")).toBeUndefined();
    expect(await extractDocumentText(tinyPng(), "image/png")).toBeUndefined();
    expect(await extractDocumentText(new Uint8Array([1, 2, 3]), "application/octet-stream")).toBeUndefined();
    expect(isExtractableDocument("application/pdf")).toBe(true);
    expect(isExtractableDocument("text/csv")).toBe(true);
    expect(isExtractableDocument("application/zip")).toBe(false);
  });
});
