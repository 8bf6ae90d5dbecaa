import { CONVERSATION_ID_PATTERN, MAX_BODY_BYTES, MAX_MESSAGES } from "../chat/limits";
import { useChatStore } from "../store/chat";
import { useRunStore } from "../store/runs";
import type { Message, MessageError } from "../store/types";

/**
 * Runs one answer: POSTs the conversation to /api/chat, reads the event stream into the store,
 * and ends the assistant message as done, stopped or failed. Deltas are batched per animation
 * frame, so a fast stream costs one render per frame, not one per token.
 */

export type ChatRequestModel = {
  id: string;
  takesSystemPrompt: boolean;
  settings: ReadonlyArray<{ key: string; default: number; min: number; max: number; integer?: boolean }>;
};

const controllers = new Map<string, AbortController>();

/** The decoder (and zod with it) loads on first use, not with the page. */
const loadDecoder = () => import("../stream/decode");
export function preloadDecoder() {
  void loadDecoder();
}

export function isRunning(conversationId: string): boolean {
  return controllers.has(conversationId);
}

export function stopAnswer(conversationId: string) {
  controllers.get(conversationId)?.abort();
}

/** The request's params: the model's settings as the user set them, defaults otherwise. */
export function paramsFor(model: ChatRequestModel, values: Record<string, number> | undefined) {
  const params: Record<string, number> = {};
  for (const s of model.settings) {
    const raw = values?.[s.key];
    const value = typeof raw === "number" && raw >= s.min && raw <= s.max ? raw : s.default;
    params[s.key] = s.integer ? Math.round(value) : value;
  }
  return params;
}

/** Requests stay a margin under the server's body limit: the JSON framing is estimated. */
export const MAX_REQUEST_BYTES = MAX_BODY_BYTES - 4 * 1024;
export const MAX_REQUEST_MESSAGES = MAX_MESSAGES;

type RequestMessage = { role: "system" | "user" | "assistant"; content: string };

/**
 * What the server sees of the conversation: the system prompt (as the first message), then the
 * finished turns with text. A conversation too long for one request keeps its newest turns: the
 * oldest are dropped, a sliding window like a model's own context.
 */
export function requestMessages(messages: readonly Message[], systemPrompt = ""): RequestMessage[] {
  const turns: RequestMessage[] = messages
    .filter((m) => m.content.trim() !== "" && m.status !== "streaming")
    .map((m) => ({ role: m.role, content: m.content }));
  const system: RequestMessage[] = systemPrompt.trim() ? [{ role: "system", content: systemPrompt.trim() }] : [];
  const encoder = new TextEncoder();
  let bytes = turns.reduce((n, m) => n + encoder.encode(m.content).length + 40, 1024 + (system[0]?.content.length ?? 0) * 3);
  let start = 0;
  // Keep the last (user) message however long; the server answers 413 if it alone is too big.
  while (start < turns.length - 1 && (bytes > MAX_REQUEST_BYTES || turns.length - start + system.length > MAX_REQUEST_MESSAGES)) {
    bytes -= encoder.encode(turns[start]!.content).length + 40;
    start++;
  }
  // Start on a user turn so the window is whole exchanges.
  while (start < turns.length - 1 && turns[start]!.role !== "user") start++;
  return [...system, ...turns.slice(start)];
}

const USER_ERRORS: Record<string, MessageError> = {
  network: { code: "connection_lost", message: "Could not reach the server. Check your connection and try again.", retryable: true },
  cut: { code: "connection_lost", message: "The connection closed before the answer was complete.", retryable: true },
};

/** Sends the user's message (already in the conversation) and streams the answer. */
export async function runAnswer(conversationId: string, model: ChatRequestModel): Promise<void> {
  if (controllers.has(conversationId)) return;
  const store = useChatStore.getState();
  const conversation = store.conversations[conversationId];
  if (!conversation) return;

  const body = {
    model: model.id,
    messages: requestMessages(conversation.messages, model.takesSystemPrompt ? conversation.systemPrompt : ""),
    params: paramsFor(model, store.settingsByModel[model.id]),
    // Lets the server keep one upstream session per conversation.
    ...(CONVERSATION_ID_PATTERN.test(conversationId) ? { conversationId } : {}),
  };

  const messageId = store.addMessage(conversationId, { role: "assistant", content: "", status: "streaming" });
  const controller = new AbortController();
  controllers.set(conversationId, controller);
  const runs = useRunStore.getState();
  runs.setRun(conversationId, { messageId, status: { stage: "connecting" }, hasText: false });

  const started = performance.now();
  let firstTokenMs: number | undefined;
  let buffered = "";
  let frame: { id: number; timer: boolean } | undefined;
  const flush = () => {
    frame = undefined;
    if (!buffered) return;
    const text = buffered;
    buffered = "";
    useChatStore.getState().appendToMessage(conversationId, messageId, text);
  };
  const schedule = () => {
    if (frame !== undefined) return;
    // Hidden tabs get no animation frames; keep the partial answer moving into the store anyway.
    frame = document.hidden
      ? { id: window.setTimeout(flush, 250), timer: true }
      : { id: requestAnimationFrame(flush), timer: false };
  };
  const finish: typeof store.finishMessage = (...args) => {
    if (frame?.timer) clearTimeout(frame.id);
    else if (frame) cancelAnimationFrame(frame.id);
    flush();
    useChatStore.getState().finishMessage(...args);
  };

  try {
    const decoderReady = loadDecoder();
    const response = await fetch("/api/chat", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify(body),
      signal: controller.signal,
    });
    if (!response.ok || !response.body || !response.headers.get("content-type")?.includes("text/event-stream")) {
      finish(conversationId, messageId, { status: "error", error: await errorFromResponse(response) });
      return;
    }
    const { readChatEvents } = await decoderReady;
    let ended = false;
    for await (const event of readChatEvents(response.body)) {
      if (event.event === "status") {
        useRunStore.getState().patchRun(conversationId, { status: event.data });
      } else if (event.event === "delta") {
        if (firstTokenMs === undefined) {
          firstTokenMs = Math.round(performance.now() - started);
          useRunStore.getState().patchRun(conversationId, { hasText: true });
        }
        if (event.data.from !== undefined) {
          // The upstream rewrote part of its answer: apply what is buffered, then the cut.
          flush();
          useChatStore.getState().appendToMessage(conversationId, messageId, event.data.text, event.data.from);
        } else {
          buffered += event.data.text;
          schedule();
        }
      } else if (event.event === "done") {
        ended = true;
        const { elapsedMs, chars, finishReason } = event.data;
        finish(conversationId, messageId, {
          status: finishReason === "cancelled" ? "stopped" : "done",
          stats: { elapsedMs, chars, ...(firstTokenMs !== undefined ? { firstTokenMs } : {}) },
        });
        break;
      } else {
        ended = true;
        finish(conversationId, messageId, { status: "error", error: event.data });
        break;
      }
    }
    if (!ended) finish(conversationId, messageId, { status: "error", error: USER_ERRORS.cut! });
  } catch (error) {
    if (controller.signal.aborted) {
      finish(conversationId, messageId, { status: "stopped" });
    } else if ((error as Error)?.name === "StreamProtocolError") {
      console.error(error);
      finish(conversationId, messageId, {
        status: "error",
        error: { code: "internal", message: "The server sent an answer this page could not read.", retryable: true },
      });
    } else {
      console.error(error);
      finish(conversationId, messageId, { status: "error", error: USER_ERRORS.network! });
    }
  } finally {
    controllers.delete(conversationId);
    useRunStore.getState().setRun(conversationId, undefined);
  }
}

/** A non-stream answer (validation errors, 404, 5xx): use the server's message when it gave one. */
async function errorFromResponse(response: Response): Promise<MessageError> {
  try {
    const json = (await response.json()) as { error?: unknown } & Record<string, unknown>;
    const body = (typeof json.error === "object" && json.error ? json.error : json) as Record<string, unknown>;
    if (typeof body.message === "string") {
      return {
        code: typeof body.code === "string" ? body.code : "internal",
        message: body.message,
        retryable: typeof body.retryable === "boolean" ? body.retryable : response.status >= 500,
      };
    }
  } catch {
    // not JSON: fall through
  }
  return {
    code: "internal",
    message: `The server answered with HTTP ${response.status}. Try again in a moment.`,
    retryable: response.status >= 500 || response.status === 429,
  };
}

/** Sends a new user message (creating the conversation when there is none yet). */
export function sendMessage(modelId: string, conversationId: string | undefined, text: string, model: ChatRequestModel) {
  const store = useChatStore.getState();
  const id = conversationId && store.conversations[conversationId] ? conversationId : store.createConversation(modelId);
  store.addMessage(id, { role: "user", content: text });
  void runAnswer(id, model);
  return id;
}

/** Regenerate or Retry: drops the last answer and asks again. */
export function regenerate(conversationId: string, model: ChatRequestModel) {
  const conversation = useChatStore.getState().conversations[conversationId];
  const last = conversation?.messages.at(-1);
  if (!last || isRunning(conversationId)) return;
  if (last.role === "assistant") useChatStore.getState().truncateFrom(conversationId, last.id);
  void runAnswer(conversationId, model);
}

/** Edit and resend: replaces a user message, drops what came after it, asks again. */
export function editAndResend(conversationId: string, messageId: string, text: string, model: ChatRequestModel) {
  if (isRunning(conversationId)) return;
  const store = useChatStore.getState();
  store.truncateFrom(conversationId, messageId);
  store.addMessage(conversationId, { role: "user", content: text });
  void runAnswer(conversationId, model);
}
