/**
 * Splits a growing markdown answer into top-level blocks so that finished blocks can be parsed
 * and rendered once and memoized, and only the growing tail is re-parsed per delta.
 *
 * A block ends at a blank line outside a fenced code block, once the next line is known and does
 * not start with whitespace (an indented line would continue a list item or an indented code
 * block). Splitting there never changes how a block renders, except that numbered lists broken by
 * blank lines become several lists that keep their numbers (`start`).
 *
 * Work per call is proportional to the tail (the text after the last finished block), not to the
 * whole answer: the previous result is reused when the new text extends the old one.
 */

export type BlockSplit = {
  text: string;
  /** Finished blocks. The array is the same object as before unless a block was added. */
  blocks: readonly string[];
  /** Where the unfinished tail starts in `text`. */
  tailStart: number;
};

const EMPTY: BlockSplit = { text: "", blocks: [], tailStart: 0 };
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

export function splitBlocks(text: string, previous: BlockSplit = EMPTY): BlockSplit {
  const base = text.length >= previous.text.length && text.startsWith(previous.text) ? previous : EMPTY;
  let blocks = base.blocks;
  let blockStart = base.tailStart;
  let fence: { char: string; length: number } | undefined;
  let blankAt = -1; // start of the line after a blank line, while the block is open for ending
  let lineStart = blockStart;

  while (lineStart < text.length) {
    const newline = text.indexOf("\n", lineStart);
    if (newline === -1) {
      // An incomplete last line can still end the block before it (its first char is known).
      if (blankAt === lineStart && !fence && endsBlock(text, lineStart)) {
        blocks = addBlock(blocks, text.slice(blockStart, lineStart));
        blockStart = lineStart;
      }
      break;
    }
    const line = text.slice(lineStart, newline);
    if (blankAt === lineStart && !fence && endsBlock(text, lineStart)) {
      blocks = addBlock(blocks, text.slice(blockStart, lineStart));
      blockStart = lineStart;
    }
    const marker = FENCE.exec(line);
    if (fence) {
      if (marker && marker[1]![0] === fence.char && marker[1]!.length >= fence.length && line.trim() === marker[1]) {
        fence = undefined;
      }
    } else if (marker) {
      fence = { char: marker[1]![0]!, length: marker[1]!.length };
    }
    blankAt = !fence && line.trim() === "" && lineStart > blockStart ? newline + 1 : -1;
    lineStart = newline + 1;
  }
  return { text, blocks, tailStart: blockStart };
}

function endsBlock(text: string, at: number): boolean {
  const first = text[at];
  return first !== undefined && first !== " " && first !== "\t" && first !== "\n" && first !== "\r";
}

function addBlock(blocks: readonly string[], block: string): readonly string[] {
  const trimmed = block.replace(/\s+$/, "");
  return trimmed === "" ? blocks : [...blocks, trimmed];
}
