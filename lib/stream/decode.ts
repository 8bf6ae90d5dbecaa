import { ChatEventSchema, type ChatEvent } from "./events";
import { sseMessages, type SSEMessage } from "./sse";

/**
 * The browser side of the chat stream (see events.ts for the contract): turns the bytes of a
 * `text/event-stream` body (framed by sse.ts) into validated ChatEvents.
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
  for await (const message of sseMessages(body)) {
    const event = toChatEvent(message);
    if (event) yield event;
  }
}
