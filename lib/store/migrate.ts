import { newId } from "../id";
import type { ChatData, Conversation, Message, MessageStatus } from "./types";

/**
 * Versions of the persisted chat data. Bump STORE_VERSION and add a step here whenever the shape
 * changes; a browser may hold any older version.
 *
 * v1: `{ conversations: [{ id, model, title, messages: [{ role, content }] }] }`, an array,
 *     messages without ids, times or status (the first development shape).
 * v2: `ChatData` (types.ts): conversations keyed by id, `modelId`, a system prompt, message ids,
 *     times, status, errors and stats; the open conversation and the settings per model.
 */
export const STORE_VERSION = 2;

type V1Data = {
  conversations?: Array<{
    id?: unknown;
    model?: unknown;
    title?: unknown;
    messages?: Array<{ role?: unknown; content?: unknown }>;
  }>;
};

const fallbackId = () => newId();

function fromV1(old: V1Data, now: number): ChatData {
  const conversations: Record<string, Conversation> = {};
  for (const c of Array.isArray(old.conversations) ? old.conversations : []) {
    if (typeof c?.model !== "string") continue;
    const id = typeof c.id === "string" ? c.id : fallbackId();
    const messages: Message[] = (Array.isArray(c.messages) ? c.messages : [])
      .filter((m) => (m?.role === "user" || m?.role === "assistant") && typeof m.content === "string")
      .map((m, i) => ({
        id: `${id}-m${i}`,
        role: m.role as Message["role"],
        content: m.content as string,
        createdAt: now,
        ...(m.role === "assistant" ? { status: "done" as const } : {}),
      }));
    conversations[id] = {
      id,
      modelId: c.model,
      title: typeof c.title === "string" && c.title ? c.title : "Untitled chat",
      systemPrompt: "",
      messages,
      createdAt: now,
      updatedAt: now,
    };
  }
  return { conversations, activeByModel: {}, settingsByModel: {} };
}

/** zustand's `migrate`: brings data of any older version to the current shape. */
export function migrateChatData(persisted: unknown, version: number, now = Date.now()): ChatData {
  let data = persisted;
  if (version < 2) data = fromV1((persisted ?? {}) as V1Data, now);
  return sanitizeChatData(data);
}

const STATUSES = new Set<MessageStatus>(["streaming", "done", "stopped", "error", "interrupted"]);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Checks persisted data field by field (localStorage is a boundary: other code, extensions or an
 * older bug may have written it) and keeps what is sound. An answer still `streaming` was cut off
 * by a reload or a crash: it stays, marked `interrupted`.
 */
export function sanitizeChatData(raw: unknown): ChatData {
  const data = isRecord(raw) ? raw : {};
  const conversations: Record<string, Conversation> = {};
  for (const [id, c] of Object.entries(isRecord(data.conversations) ? data.conversations : {})) {
    if (!isRecord(c) || typeof c.modelId !== "string" || !Array.isArray(c.messages)) continue;
    const messages: Message[] = [];
    for (const m of c.messages) {
      if (!isRecord(m) || (m.role !== "user" && m.role !== "assistant") || typeof m.content !== "string") continue;
      const status = STATUSES.has(m.status as MessageStatus) ? (m.status as MessageStatus) : undefined;
      const message: Message = {
        id: typeof m.id === "string" ? m.id : fallbackId(),
        role: m.role,
        content: m.content,
        createdAt: typeof m.createdAt === "number" ? m.createdAt : 0,
      };
      if (m.role === "assistant") message.status = status === "streaming" ? "interrupted" : (status ?? "done");
      if (isRecord(m.error) && typeof m.error.message === "string") {
        message.error = {
          code: typeof m.error.code === "string" ? m.error.code : "internal",
          message: m.error.message,
          retryable: m.error.retryable === true,
        };
      }
      if (isRecord(m.stats) && typeof m.stats.elapsedMs === "number" && typeof m.stats.chars === "number") {
        message.stats = {
          elapsedMs: m.stats.elapsedMs,
          chars: m.stats.chars,
          ...(typeof m.stats.firstTokenMs === "number" ? { firstTokenMs: m.stats.firstTokenMs } : {}),
        };
      }
      messages.push(message);
    }
    conversations[id] = {
      id,
      modelId: c.modelId,
      title: typeof c.title === "string" ? c.title : "Untitled chat",
      systemPrompt: typeof c.systemPrompt === "string" ? c.systemPrompt : "",
      messages,
      createdAt: typeof c.createdAt === "number" ? c.createdAt : 0,
      updatedAt: typeof c.updatedAt === "number" ? c.updatedAt : 0,
    };
  }
  const activeByModel: Record<string, string> = {};
  for (const [model, id] of Object.entries(isRecord(data.activeByModel) ? data.activeByModel : {})) {
    if (typeof id === "string" && conversations[id]?.modelId === model) activeByModel[model] = id;
  }
  const settingsByModel: Record<string, Record<string, number>> = {};
  for (const [model, values] of Object.entries(isRecord(data.settingsByModel) ? data.settingsByModel : {})) {
    if (!isRecord(values)) continue;
    const clean: Record<string, number> = {};
    for (const [key, value] of Object.entries(values)) if (typeof value === "number" && Number.isFinite(value)) clean[key] = value;
    settingsByModel[model] = clean;
  }
  return { conversations, activeByModel, settingsByModel };
}
