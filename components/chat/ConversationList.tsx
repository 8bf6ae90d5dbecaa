"use client";

import { useMemo, useState } from "react";
import { conversationsOf, useChatStore } from "@/lib/store/chat";
import { stopAnswer } from "@/lib/client/send";
import { useRunStore } from "@/lib/store/runs";
import { CheckIcon, CloseIcon, EditIcon, PlusIcon, TrashIcon } from "@/components/ui/icons";

/** The sidebar: this model's conversations, newest first, with new / rename / delete. */
export function ConversationList({ modelId, hydrated, onPicked }: { modelId: string; hydrated: boolean; onPicked: () => void }) {
  // Select a string (compared by value), so a streaming answer, which replaces the conversation
  // objects on every frame, does not re-render the list.
  const listKey = useChatStore((s) =>
    JSON.stringify(conversationsOf(s, modelId).map((c) => [c.id, c.title])),
  );
  const conversations = useMemo(() => (JSON.parse(listKey) as Array<[string, string]>).map(([id, title]) => ({ id, title })), [listKey]);
  const active = useChatStore((s) => s.activeByModel[modelId]);
  const open = useChatStore((s) => s.openConversation);

  return (
    <nav aria-label="Conversations" className="flex min-h-0 flex-1 flex-col">
      <div className="p-3">
        <button
          type="button"
          onClick={() => {
            open(modelId, undefined);
            onPicked();
            document.getElementById("composer")?.focus();
          }}
          className="flex w-full items-center justify-center gap-2 rounded-lg border border-neutral-300 px-3 py-2 text-sm font-medium hover:bg-neutral-100 dark:border-neutral-700 dark:hover:bg-neutral-800"
        >
          <PlusIcon /> New chat
        </button>
      </div>
      <h2 className="px-4 pb-1 text-xs font-semibold tracking-wide text-neutral-500 uppercase dark:text-neutral-400">
        Conversations
      </h2>
      <ul className="min-h-0 flex-1 space-y-0.5 overflow-y-auto px-2 pb-3">
        {hydrated && conversations.length === 0 && (
          <li className="px-2 py-2 text-sm text-neutral-500 dark:text-neutral-400">No conversations yet.</li>
        )}
        {conversations.map((c) => (
          <ConversationRow
            key={c.id}
            id={c.id}
            title={c.title}
            active={c.id === active}
            onOpen={() => {
              open(modelId, c.id);
              onPicked();
            }}
          />
        ))}
      </ul>
    </nav>
  );
}

function ConversationRow({ id, title, active, onOpen }: { id: string; title: string; active: boolean; onOpen: () => void }) {
  const [mode, setMode] = useState<"view" | "rename" | "confirm-delete">("view");
  const [draft, setDraft] = useState(title);
  const rename = useChatStore((s) => s.renameConversation);
  const remove = useChatStore((s) => s.deleteConversation);
  const running = useRunStore((s) => !!s.runs[id]);

  if (mode === "rename") {
    const save = () => {
      rename(id, draft);
      setMode("view");
    };
    return (
      <li className="flex items-center gap-1 rounded-lg bg-neutral-100 p-1 dark:bg-neutral-800">
        <input
          autoFocus
          aria-label="Conversation title"
          value={draft}
          maxLength={120}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter") save();
            if (e.key === "Escape") {
              e.stopPropagation();
              setMode("view");
            }
          }}
          className="min-w-0 flex-1 rounded-md border border-neutral-300 bg-white px-2 py-1 text-sm dark:border-neutral-600 dark:bg-neutral-900"
        />
        <button type="button" className="icon-button" aria-label="Save title" onClick={save}>
          <CheckIcon />
        </button>
        <button type="button" className="icon-button" aria-label="Cancel renaming" onClick={() => setMode("view")}>
          <CloseIcon />
        </button>
      </li>
    );
  }

  return (
    <li
      className={`group flex items-center gap-0.5 rounded-lg pr-1 ${
        active ? "bg-accent-50 dark:bg-neutral-800" : "hover:bg-neutral-100 dark:hover:bg-neutral-900"
      }`}
    >
      <button
        type="button"
        onClick={onOpen}
        aria-current={active ? "true" : undefined}
        className={`min-w-0 flex-1 truncate px-2.5 py-2 text-left text-sm ${active ? "font-medium" : ""}`}
      >
        {running && (
          <span className="mr-1.5 inline-block size-2 animate-pulse rounded-full bg-accent-500" aria-label="answering" />
        )}
        {title}
      </button>
      {mode === "confirm-delete" ? (
        <>
          <button
            type="button"
            className="rounded-md bg-red-600 px-2 py-1 text-xs font-medium text-white hover:bg-red-700"
            onClick={() => {
              stopAnswer(id);
              remove(id);
            }}
          >
            Confirm delete
          </button>
          <button type="button" className="icon-button" aria-label="Keep conversation" onClick={() => setMode("view")}>
            <CloseIcon />
          </button>
        </>
      ) : (
        <>
          <button
            type="button"
            className="icon-button"
            aria-label={`Rename conversation ${title}`}
            title="Rename"
            onClick={() => {
              setDraft(title);
              setMode("rename");
            }}
          >
            <EditIcon width={16} height={16} />
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label={`Delete conversation ${title}`}
            title="Delete"
            onClick={() => setMode("confirm-delete")}
          >
            <TrashIcon width={16} height={16} />
          </button>
        </>
      )}
    </li>
  );
}
