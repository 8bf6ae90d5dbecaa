import type { Delta } from "../stream/delta";

/**
 * Turns an upstream's cumulative outputs (each one the WHOLE answer so far, as Gradio sends them)
 * into deltas that carry only new text.
 *
 * - An output that extends what was sent gives the new suffix; the same output again (Gradio
 *   sends the final value twice) gives nothing.
 * - An output that does not extend it is a replacement: the delta says from which character the
 *   answer changed (`from`) and carries only the text after that, so nothing is sent twice.
 */
export class CumulativeText {
  private sent = "";

  get text(): string {
    return this.sent;
  }

  next(full: string): Delta | undefined {
    const sent = this.sent;
    if (full === sent) return undefined;
    if (full.length > sent.length && full.startsWith(sent)) {
      this.sent = full;
      return { text: full.slice(sent.length) };
    }
    const from = commonPrefixLength(sent, full);
    this.sent = full;
    return { text: full.slice(from), from };
  }
}

function commonPrefixLength(a: string, b: string): number {
  const max = Math.min(a.length, b.length);
  let i = 0;
  while (i < max && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  // Never split a surrogate pair: back up to the start of the character.
  if (i > 0 && i < max) {
    const code = a.charCodeAt(i - 1);
    if (code >= 0xd800 && code <= 0xdbff) i--;
  }
  return i;
}
