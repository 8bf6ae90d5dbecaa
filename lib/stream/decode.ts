import { ChatEventSchema, type ChatEvent } from "./events";

/**
 * The browser side of the chat stream (see events.ts for the contract): turns the bytes of a
 * `text/event-stream` body into validated ChatEvents.
 *
 * SSE framing per the WHATWG spec: lines end in \n, \r\n or \r; a blank line ends a message;
 * `data:` lines of one message are joined with \n; `:` starts a comment; one space after the
 * colon is dropped. Chunks may split anywhere, even inside a \r\n or a multi-byte character.
 *
 * Unknown event names are skipped (a newer server may add events). A known event whose data is
 * not JSON or breaks its schema is a protocol error: the stream cannot be trusted past it.
 */

export class StreamProtocolError extends Error {
  constructor(
    message: string,
    readonly raw: string,
  ) {
    super(message);
    this.name = "StreamProtocolError";
  }
}

const KNOWN_EVENTS = new Set(["status", "delta", "done", "error"]);

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

/** Validates one framed message; undefined for events this client does not know. */
export function toChatEvent(message: SSEMessage): ChatEvent | undefined {
  if (!KNOWN_EVENTS.has(message.event)) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(message.data);
  } catch {
    throw new StreamProtocolError(`The "${message.event}" event's data is not JSON`, message.data);
  }
  const parsed = ChatEventSchema.safeParse({ event: message.event, data });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StreamProtocolError(
      `The "${message.event}" event does not match the protocol (${issue?.path.join(".") || "data"}: ${issue?.message})`,
      message.data,
    );
  }
  return parsed.data;
}

/**
 * Reads a response body as ChatEvents. Throws StreamProtocolError on a malformed event, and the
 * reader's own error (an AbortError when the caller aborts) if the connection breaks.
 */
export async function* readChatEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<ChatEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = new SSEParser();
  let finished = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      const text = done ? decoder.decode() : decoder.decode(value, { stream: true });
      for (const message of parser.push(text)) {
        const event = toChatEvent(message);
        if (event) yield event;
      }
      if (done) break;
    }
    finished = true;
    parser.end();
  } finally {
    // A consumer that stops early (or a protocol error) must not leave the body flowing.
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
