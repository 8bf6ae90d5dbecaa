import "server-only";
import { findModel } from "../registry/load";
import { encodeEvent, KEEP_ALIVE, SSE_HEADERS } from "../stream/encode";
import type { ChatEvent } from "../stream/events";
import type { BackendRequest, ChatBackend } from "../upstream/backend";
import { splitConversation } from "../upstream/conversation";
import { ChatError, toChatError } from "../upstream/errors";
import { readLimits } from "../upstream/limits";
import { logUpstream } from "../upstream/log";
import { backendFor } from "../upstream";
import { MAX_BODY_BYTES } from "./limits";
import { ChatRequestSchema, describeIssues, resolveSettings } from "./schema";

/**
 * POST /api/chat. Everything that can be refused is refused before anything reaches an upstream,
 * with a JSON `{error: {code, message}}` and its status (400, 403, 404, 413). Then the answer is
 * a `text/event-stream` of the events in lib/stream/events.ts: status* delta* (done | error).
 *
 * Lifetime: the stream ends after `done` or `error`. If the browser goes away (Stop), the
 * request's signal aborts, the backend cancels the upstream job, and the stream closes.
 */
const KEEP_ALIVE_MS = 15_000;

export async function handleChat(request: Request, pickBackend = backendFor): Promise<Response> {
  const started = performance.now();
  let prepared: { backendRequest: BackendRequest; backend: ChatBackend };
  try {
    prepared = await prepare(request, pickBackend);
  } catch (error) {
    const chatError = toChatError(error);
    if (chatError.code === "internal") logUpstream("error", { model: "-", code: chatError.code, detail: chatError.detail });
    return chatError.toResponse();
  }
  return streamAnswer(prepared.backend, prepared.backendRequest, request.signal, started);
}

async function prepare(request: Request, pickBackend: typeof backendFor) {
  const text = await readBody(request, MAX_BODY_BYTES);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ChatError("bad_request", { message: "The request body is not valid JSON." });
  }
  const parsed = ChatRequestSchema.safeParse(json);
  if (!parsed.success) throw new ChatError("bad_request", { message: `Invalid request: ${describeIssues(parsed.error)}` });
  const body = parsed.data;

  const model = findModel(body.model);
  if (!model) throw new ChatError("model_not_found", { message: `There is no model "${body.model}".` });
  if (!model.served) throw new ChatError("model_not_served", { message: model.unservedReason });

  const settings = resolveSettings(model, body.params);
  if (!settings.ok) throw new ChatError("bad_request", { message: `Invalid settings: ${settings.problems.join("; ")}` });

  const backendRequest: BackendRequest = {
    model,
    conversation: splitConversation(body.messages),
    settings: settings.settings,
    conversationId: body.conversationId,
    limits: readLimits(),
  };
  return { backendRequest, backend: pickBackend(model) };
}

/** The body as text, refusing more than `max` bytes whether or not Content-Length says so. */
async function readBody(request: Request, max: number): Promise<string> {
  const tooLarge = () =>
    new ChatError("payload_too_large", { message: `The request is larger than ${max / 1024} KB.` });
  const declared = Number(request.headers.get("content-length") ?? "");
  if (declared > max) throw tooLarge();
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

function streamAnswer(backend: ChatBackend, backendRequest: BackendRequest, requestSignal: AbortSignal, started: number) {
  const stopped = new AbortController();
  const stop = () => stopped.abort(new DOMException("The client went away", "AbortError"));
  requestSignal.addEventListener("abort", stop, { once: true });
  let keepAlive: ReturnType<typeof setInterval> | undefined;

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      const write = (chunk: Uint8Array) => {
        if (!open) return;
        try {
          controller.enqueue(chunk);
        } catch {
          open = false;
        }
      };
      const send = (event: ChatEvent) => write(encodeEvent(event));
      keepAlive = setInterval(() => write(KEEP_ALIVE), KEEP_ALIVE_MS);

      void (async () => {
        let chars = 0;
        try {
          for await (const event of backend.stream(backendRequest, stopped.signal)) {
            if (event.type === "delta") {
              chars = (event.data.from ?? chars) + event.data.text.length;
              send({ event: "delta", data: event.data });
            } else send({ event: "status", data: event.data });
          }
          send({
            event: "done",
            data: {
              finishReason: stopped.signal.aborted ? "cancelled" : "stop",
              elapsedMs: Math.round(performance.now() - started),
              chars,
            },
          });
        } catch (error) {
          const chatError = toChatError(error);
          logUpstream(chatError.code === "internal" ? "error" : "warn", {
            model: backendRequest.model.id,
            code: chatError.code,
            detail: chatError.detail ?? chatError.message,
            charsSent: chars,
          });
          send({ event: "error", data: chatError.toEvent() });
        } finally {
          clearInterval(keepAlive);
          requestSignal.removeEventListener("abort", stop);
          if (open) {
            open = false;
            try {
              controller.close();
            } catch {
              // Already cancelled by the reader.
            }
          }
        }
      })();
    },
    cancel() {
      clearInterval(keepAlive);
      stop();
    },
  });
  return new Response(body, { headers: SSE_HEADERS });
}
