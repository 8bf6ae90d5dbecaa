import { describe, expect, it } from "vitest";
import { splitBlocks, type BlockSplit } from "@/lib/markdown/blocks";
import { parseHighlighted } from "@/lib/markdown/highlight";
import { decodeEntities, safeHref } from "@/lib/markdown/safe";

const ANSWER = [
  "# Title",
  "",
  "A paragraph",
  "on two lines.",
  "",
  "```python",
  "def f():",
  "",
  "    return 1",
  "```",
  "",
  "- item one",
  "",
  "    continued item",
  "- item two",
  "",
  "Last words.",
].join("\n");

/** Feeds the text in pieces, as a stream would. */
function streamed(text: string, step: number): BlockSplit {
  let split: BlockSplit | undefined;
  for (let end = step; end < text.length + step; end += step) split = splitBlocks(text.slice(0, end), split);
  return split!;
}

describe("splitBlocks", () => {
  it("ends blocks at blank lines outside code fences and indented continuations", () => {
    const split = splitBlocks(ANSWER);
    expect(split.blocks).toEqual([
      "# Title",
      "A paragraph\non two lines.",
      "```python\ndef f():\n\n    return 1\n```",
      "- item one\n\n    continued item\n- item two",
    ]);
    expect(ANSWER.slice(split.tailStart)).toBe("Last words.");
  });

  it("gives the same blocks when the text arrives in pieces, reusing earlier work", () => {
    const whole = splitBlocks(ANSWER);
    for (const step of [1, 2, 3, 7, 50]) {
      const s = streamed(ANSWER, step);
      expect(s.blocks).toEqual(whole.blocks);
      expect(s.tailStart).toBe(whole.tailStart);
    }
  });

  it("keeps the blocks array while no block is added", () => {
    const a = splitBlocks("one\n\ntwo");
    const b = splitBlocks("one\n\ntwo three", a);
    expect(b.blocks).toBe(a.blocks);
  });

  it("starts over when the text is not an extension", () => {
    const a = splitBlocks("one\n\ntwo\n\nthree");
    expect(splitBlocks("uno\n\ndos", a).blocks).toEqual(["uno"]);
  });

  it("never ends a block inside an unclosed fence", () => {
    expect(splitBlocks("```\na\n\nb\n\nc").blocks).toEqual([]);
  });
});

describe("safeHref", () => {
  it("keeps web and mail links", () => {
    expect(safeHref("https://example.com/a?b=1")).toBe("https://example.com/a?b=1");
    expect(safeHref("mailto:a@b.c")).toBe("mailto:a@b.c");
  });

  it("drops script, data, relative and disguised links", () => {
    for (const href of [
      "javascript:alert(1)",
      "JaVaScRiPt:alert(1)",
      " javascript:alert(1)",
      "java\nscript:alert(1)",
      "java\tscript:alert(1)",
      "\u0000javascript:alert(1)",
      "data:text/html,<script>alert(1)</script>",
      "vbscript:msgbox",
      "/api/chat",
      "//evil.example/x",
      "",
      null,
    ]) {
      expect(safeHref(href)).toBeUndefined();
    }
  });
});

describe("entities and highlighting", () => {
  it("decodes entities", () => {
    expect(decodeEntities("a &amp; b &lt;c&gt; &#39;d&#x27; &unknown; &#0;")).toBe("a & b <c> 'd' &unknown; \ufffd");
  });

  it("reads highlight.js output as a tree, never as markup", () => {
    expect(parseHighlighted('<span class="hljs-keyword">def</span> f(): <span class="hljs-string">&quot;&lt;img&gt;&quot;</span>')).toEqual([
      { className: "hljs-keyword", children: ["def"] },
      " f(): ",
      { className: "hljs-string", children: ['"<img>"'] },
    ]);
  });
});
