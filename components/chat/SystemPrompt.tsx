"use client";

import { useChatStore } from "@/lib/store/chat";

/** The conversation's system prompt, for models that take one. Typing into a new chat starts it. */
export function SystemPrompt({ modelId, conversationId }: { modelId: string; conversationId: string | undefined }) {
  const value = useChatStore((s) => (conversationId ? s.conversations[conversationId]?.systemPrompt : "")) ?? "";
  const locked = useChatStore((s) => (conversationId ? (s.conversations[conversationId]?.messages.length ?? 0) > 0 : false));
  return (
    <details className="group mt-4 rounded-xl border border-neutral-200 px-3 py-2 dark:border-neutral-800">
      <summary className="cursor-pointer text-sm font-medium text-neutral-700 select-none dark:text-neutral-300">
        System prompt{value ? `: ${value.length > 60 ? value.slice(0, 59) + "…" : value}` : " (optional)"}
      </summary>
      <label htmlFor="system-prompt" className="sr-only">
        System prompt
      </label>
      <textarea
        id="system-prompt"
        value={value}
        rows={2}
        maxLength={4000}
        placeholder="You are a helpful assistant."
        onChange={(e) => {
          const store = useChatStore.getState();
          const id = conversationId ?? store.createConversation(modelId);
          store.setSystemPrompt(id, e.target.value);
        }}
        className="mt-2 w-full resize-y rounded-lg border border-neutral-300 bg-white px-2.5 py-1.5 text-sm dark:border-neutral-700 dark:bg-neutral-900"
      />
      <p className="mt-1 text-xs text-neutral-500 dark:text-neutral-400">
        {locked ? "Changes apply from the next message." : "Gives the assistant a role for this conversation."}
      </p>
    </details>
  );
}
