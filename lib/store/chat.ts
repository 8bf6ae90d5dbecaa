import { create } from "zustand";
import { persist } from "zustand/middleware";
import { newId } from "../id";
import { applyDelta } from "../stream/delta";
import { STORE_VERSION, migrateChatData, sanitizeChatData } from "./migrate";
import { throttledStorage } from "./throttled-storage";
import type { AnswerStats, ChatData, Conversation, Message, MessageError, MessageStatus } from "./types";

export const STORAGE_KEY = "variabot-chat";
const TITLE_LENGTH = 48;

type Actions = {
  /** Creates a conversation, opens it on its model's page and returns its id. */
  createConversation(modelId: string): string;
  /** Opens a conversation, or a new empty chat when `id` is undefined. */
  openConversation(modelId: string, id: string | undefined): void;
  renameConversation(id: string, title: string): void;
  deleteConversation(id: string): void;
  setSystemPrompt(id: string, systemPrompt: string): void;
  setSetting(modelId: string, key: string, value: number): void;
  resetSettings(modelId: string): void;
  addMessage(conversationId: string, message: Pick<Message, "role" | "content"> & Partial<Message>): string;
  /** Appends text; with `from`, first cuts the message to its first `from` characters. */
  appendToMessage(conversationId: string, messageId: string, text: string, from?: number): void;
  finishMessage(
    conversationId: string,
    messageId: string,
    end: { status: Exclude<MessageStatus, "streaming">; error?: MessageError; stats?: AnswerStats },
  ): void;
  /** Drops the message and everything after it. */
  truncateFrom(conversationId: string, messageId: string): void;
};

export type ChatState = ChatData & Actions;

export const emptyChatData = (): ChatData => ({ conversations: {}, activeByModel: {}, settingsByModel: {} });

export function titleFrom(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > TITLE_LENGTH ? `${line.slice(0, TITLE_LENGTH - 1)}…` : line || "New chat";
}

const isStreaming = (data: ChatData) =>
  Object.values(data.conversations).some((c) => c.messages.at(-1)?.status === "streaming");

function updateConversation(state: ChatData, id: string, change: (c: Conversation) => Partial<Conversation>) {
  const conversation = state.conversations[id];
  if (!conversation) return {};
  return {
    conversations: { ...state.conversations, [id]: { ...conversation, ...change(conversation), updatedAt: Date.now() } },
  };
}

function updateMessage(state: ChatData, conversationId: string, messageId: string, change: (m: Message) => Message) {
  return updateConversation(state, conversationId, (c) => {
    // The message that changes is nearly always the last one: look there first.
    const index = c.messages.at(-1)?.id === messageId ? c.messages.length - 1 : c.messages.findIndex((m) => m.id === messageId);
    if (index === -1) return {};
    const messages = c.messages.slice();
    messages[index] = change(messages[index]!);
    return { messages };
  });
}

export const chatStorage = throttledStorage<ChatData>(isStreaming);

/**
 * The chat store. Persisted in localStorage under STORAGE_KEY, versioned (see migrate.ts).
 * Hydration is manual (`skipHydration`), so the server's HTML and the first client render agree;
 * `<StoreHydrator />` rehydrates after mount.
 */
export const useChatStore = create<ChatState>()(
  persist(
    (set) => ({
      ...emptyChatData(),

      createConversation(modelId) {
        const id = newId();
        const now = Date.now();
        set((s) => ({
          conversations: {
            ...s.conversations,
            [id]: { id, modelId, title: "New chat", systemPrompt: "", messages: [], createdAt: now, updatedAt: now },
          },
          activeByModel: { ...s.activeByModel, [modelId]: id },
        }));
        return id;
      },

      openConversation(modelId, id) {
        set((s) => {
          const activeByModel = { ...s.activeByModel };
          if (id) activeByModel[modelId] = id;
          else delete activeByModel[modelId];
          return { activeByModel };
        });
      },

      renameConversation(id, title) {
        const clean = title.replace(/\s+/g, " ").trim();
        if (clean) set((s) => updateConversation(s, id, () => ({ title: clean })));
      },

      deleteConversation(id) {
        set((s) => {
          const conversations = { ...s.conversations };
          const modelId = conversations[id]?.modelId;
          delete conversations[id];
          const activeByModel = { ...s.activeByModel };
          if (modelId && activeByModel[modelId] === id) delete activeByModel[modelId];
          return { conversations, activeByModel };
        });
      },

      setSystemPrompt(id, systemPrompt) {
        set((s) => updateConversation(s, id, () => ({ systemPrompt })));
      },

      setSetting(modelId, key, value) {
        set((s) => ({ settingsByModel: { ...s.settingsByModel, [modelId]: { ...s.settingsByModel[modelId], [key]: value } } }));
      },

      resetSettings(modelId) {
        set((s) => {
          const settingsByModel = { ...s.settingsByModel };
          delete settingsByModel[modelId];
          return { settingsByModel };
        });
      },

      addMessage(conversationId, message) {
        const id = message.id ?? newId();
        set((s) =>
          updateConversation(s, conversationId, (c) => ({
            messages: [...c.messages, { createdAt: Date.now(), ...message, id }],
            // The first user message names the conversation, unless the user already did.
            ...(message.role === "user" && c.title === "New chat" && !c.messages.length ? { title: titleFrom(message.content) } : {}),
          })),
        );
        return id;
      },

      appendToMessage(conversationId, messageId, text, from) {
        if (!text && from === undefined) return;
        set((s) =>
          updateMessage(s, conversationId, messageId, (m) => ({
            ...m,
            content: applyDelta(m.content, { text, from }),
          })),
        );
      },

      finishMessage(conversationId, messageId, end) {
        set((s) =>
          updateMessage(s, conversationId, messageId, (m) => {
            const next: Message = { ...m, status: end.status };
            if (end.error) next.error = end.error;
            else delete next.error;
            if (end.stats) next.stats = end.stats;
            return next;
          }),
        );
      },

      truncateFrom(conversationId, messageId) {
        set((s) =>
          updateConversation(s, conversationId, (c) => {
            const index = c.messages.findIndex((m) => m.id === messageId);
            return index === -1 ? {} : { messages: c.messages.slice(0, index) };
          }),
        );
      },
    }),
    {
      name: STORAGE_KEY,
      version: STORE_VERSION,
      storage: chatStorage,
      skipHydration: true,
      partialize: (s): ChatData => ({
        conversations: s.conversations,
        activeByModel: s.activeByModel,
        settingsByModel: s.settingsByModel,
      }),
      migrate: (persisted, version) => migrateChatData(persisted, version),
      merge: (persisted, current) => ({ ...current, ...sanitizeChatData(persisted) }),
    },
  ),
);

/** Conversations of one model, newest first. */
export function conversationsOf(data: Pick<ChatData, "conversations">, modelId: string): Conversation[] {
  return Object.values(data.conversations)
    .filter((c) => c.modelId === modelId)
    .sort((a, b) => b.createdAt - a.createdAt);
}
