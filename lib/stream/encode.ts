import type { ChatEvent } from "./events";

/**
 * The server side of the chat stream (see events.ts for the contract): one SSE message per event,
 * `event: <name>` then one `data: <json>` line. JSON.stringify never emits a raw newline, so one
 * data line always suffices.
 */
const encoder = new TextEncoder();

export function encodeEvent(event: ChatEvent): Uint8Array {
  return encoder.encode(`event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`);
}

/** An SSE comment: keeps idle proxies from closing a stream that waits in a long queue. */
export const KEEP_ALIVE = encoder.encode(": keep-alive\n\n");

export const SSE_HEADERS: Record<string, string> = {
  "Content-Type": "text/event-stream; charset=utf-8",
  // no-transform: compression middleware (next start's included) would buffer the stream.
  "Cache-Control": "no-cache, no-transform",
  // nginx and similar proxies buffer responses unless told not to.
  "X-Accel-Buffering": "no",
};
