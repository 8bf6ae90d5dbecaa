/**
 * Server-sent events framing per the WHATWG spec, for both ends of our streams: the browser
 * reading /api/chat, and the server reading a Gradio Space's queue stream.
 *
 * Lines end in \n, \r\n or \r; a blank line ends a message; `data:` lines of one message are
 * joined with \n; `:` starts a comment; one space after the colon is dropped. Chunks may split
 * anywhere, even inside a \r\n or a multi-byte character.
 */

export type SSEMessage = { event: string; data: string };

/** Incremental SSE framing: feed text chunks, get the complete messages they finish. */
export class SSEParser {
  private buffer = "";
  private event = "";
  private data: string[] = [];
  /** A chunk ended in \r: if the next one starts with \n, that \n belongs to the same line end. */
  private pendingCR = false;

  push(chunk: string): SSEMessage[] {
    let text = chunk;
    if (this.pendingCR && text.startsWith("\n")) text = text.slice(1);
    this.pendingCR = false;
    this.buffer += text;
    const out: SSEMessage[] = [];
    let start = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const ch = this.buffer.charCodeAt(i);
      if (ch !== 10 && ch !== 13) continue;
      const line = this.buffer.slice(start, i);
      if (ch === 13) {
        if (i + 1 === this.buffer.length) this.pendingCR = true;
        else if (this.buffer.charCodeAt(i + 1) === 10) i++;
      }
      start = i + 1;
      const message = this.line(line);
      if (message) out.push(message);
    }
    this.buffer = this.buffer.slice(start);
    return out;
  }

  /** The stream ended: per the spec an unterminated last message is dropped. */
  end(): void {
    this.buffer = "";
    this.event = "";
    this.data = [];
  }

  private line(line: string): SSEMessage | undefined {
    if (line === "") {
      if (this.data.length === 0) {
        this.event = "";
        return undefined;
      }
      const message = { event: this.event || "message", data: this.data.join("\n") };
      this.event = "";
      this.data = [];
      return message;
    }
    if (line.startsWith(":")) return undefined;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") this.event = value;
    else if (field === "data") this.data.push(value);
    // `id` and `retry` mean nothing to a one-shot POST stream.
    return undefined;
  }
}

/**
 * The messages of a `text/event-stream` body, as they complete. A consumer that stops early
 * cancels the body, so it does not keep flowing.
 */
export async function* sseMessages(body: ReadableStream<Uint8Array>): AsyncGenerator<SSEMessage> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = new SSEParser();
  let finished = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      const text = done ? decoder.decode() : decoder.decode(value, { stream: true });
      yield* parser.push(text);
      if (done) break;
    }
    finished = true;
    parser.end();
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
