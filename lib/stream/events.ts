import { z } from "zod";

/**
 * The chat stream protocol, shared by the server (to encode) and the browser (to decode).
 *
 * `POST /api/chat` answers `text/event-stream`; each message is `event: <name>` plus one
 * `data: <json>` line. Zero or more `status` events come first (and may come again, e.g. while
 * queued), then `delta` events carrying only NEW text, then exactly one `done` or `error`, after
 * which the stream ends. An `error` after deltas leaves what arrived valid: it is the answer so far.
 */

export const StatusEventSchema = z.object({
  stage: z.enum(["connecting", "waking", "queued", "generating"]),
  /** Jobs ahead of this one in the upstream queue, as Gradio counts them: 0 = next to run. */
  position: z.number().int().nonnegative().optional(),
  queueSize: z.number().int().nonnegative().optional(),
  etaSeconds: z.number().nonnegative().optional(),
  message: z.string().optional(),
});

/**
 * New text. Without `from` it is appended to the answer so far. With `from`, the upstream replaced
 * part of its answer (its new output did not extend the old one): keep the first `from` characters
 * (UTF-16 code units, as JavaScript counts) and append `text` after them. Rare; never the whole
 * answer again unless the upstream rewrote all of it.
 */
export const DeltaEventSchema = z.object({ text: z.string(), from: z.number().int().nonnegative().optional() });

export const DoneEventSchema = z.object({
  finishReason: z.enum(["stop", "cancelled"]),
  elapsedMs: z.number().nonnegative(),
  chars: z.number().int().nonnegative(),
});

export const ErrorCodeSchema = z.enum([
  "bad_request",
  "payload_too_large",
  "model_not_found",
  "model_not_served",
  "space_not_found",
  "unauthorized",
  "space_sleeping",
  "queue_full",
  "app_error",
  "upstream_error",
  "connection_lost",
  "upstream_unreachable",
  "connect_timeout",
  "first_token_timeout",
  "total_timeout",
  "internal",
]);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

export const ErrorEventSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  retryable: z.boolean(),
});

export const ChatEventSchema = z.discriminatedUnion("event", [
  z.object({ event: z.literal("status"), data: StatusEventSchema }),
  z.object({ event: z.literal("delta"), data: DeltaEventSchema }),
  z.object({ event: z.literal("done"), data: DoneEventSchema }),
  z.object({ event: z.literal("error"), data: ErrorEventSchema }),
]);
export type ChatEvent = z.infer<typeof ChatEventSchema>;
export type StatusEvent = z.infer<typeof StatusEventSchema>;
export type ErrorEvent = z.infer<typeof ErrorEventSchema>;
