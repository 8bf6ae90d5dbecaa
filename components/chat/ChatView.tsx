"use client";

import { useCallback, useEffect, useRef, useState, type ReactNode } from "react";
import { useChatStore } from "@/lib/store/chat";
import { useRunStore } from "@/lib/store/runs";
import type { ChatRequestModel } from "@/lib/client/send";
import type { ChatModel } from "@/components/model/types";
import { ArrowDownIcon, PlusIcon } from "@/components/ui/icons";
import { Composer } from "./Composer";
import { ExportMenu } from "./ExportMenu";
import { MessageItem } from "./MessageItem";
import { SystemPrompt } from "./SystemPrompt";

const STICK_THRESHOLD_PX = 48;
const EMPTY: never[] = [];

/**
 * The chat column: toolbar, the scrolling message list (which follows a growing answer unless
 * the user scrolled up), and the composer.
 */
export function ChatView({
  model,
  requestModel,
  hydrated,
  hero,
}: {
  model: ChatModel;
  requestModel: ChatRequestModel;
  hydrated: boolean;
  hero: ReactNode;
}) {
  const activeId = useChatStore((s) => s.activeByModel[model.id]);
  const title = useChatStore((s) => (activeId ? s.conversations[activeId]?.title : undefined));
  const messages = useChatStore((s) => (activeId ? s.conversations[activeId]?.messages : undefined)) ?? EMPTY;
  const run = useRunStore((s) => (activeId ? s.runs[activeId] : undefined));
  const openConversation = useChatStore((s) => s.openConversation);

  const scroller = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const [atBottom, setAtBottom] = useState(true);

  const scrollToEnd = useCallback((behavior: ScrollBehavior = "auto") => {
    const el = scroller.current;
    if (el) el.scrollTo({ top: el.scrollHeight, behavior });
  }, []);

  // Follow the content while stuck to the bottom; any growth (new text, highlighting) counts.
  useEffect(() => {
    const el = content.current;
    if (!el) return;
    const observer = new ResizeObserver(() => {
      if (stick.current) scrollToEnd();
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [scrollToEnd]);

  // A different conversation opens at its end.
  useEffect(() => {
    stick.current = true;
    scrollToEnd();
  }, [activeId, hydrated, scrollToEnd]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    const bottom = el.scrollHeight - el.scrollTop - el.clientHeight <= STICK_THRESHOLD_PX;
    stick.current = bottom;
    setAtBottom(bottom);
  };

  const onSent = useCallback(() => {
    stick.current = true;
    setAtBottom(true);
    requestAnimationFrame(() => scrollToEnd());
  }, [scrollToEnd]);

  const lastIndex = messages.length - 1;
  const conversation = hydrated && activeId ? activeId : undefined;

  return (
    <>
      <div className="flex h-12 shrink-0 items-center gap-2 border-b border-neutral-200 px-3 sm:px-4 dark:border-neutral-800">
        <h2 className="min-w-0 flex-1 truncate text-sm font-medium text-neutral-700 dark:text-neutral-300">
          {conversation ? title : "New chat"}
        </h2>
        <button
          type="button"
          className="flex items-center gap-1.5 rounded-lg px-2 py-1.5 text-sm hover:bg-neutral-100 lg:hidden dark:hover:bg-neutral-800"
          onClick={() => {
            openConversation(model.id, undefined);
            document.getElementById("composer")?.focus();
          }}
        >
          <PlusIcon width={16} height={16} /> New chat
        </button>
        {conversation && messages.length > 0 && <ExportMenu conversationId={conversation} model={model} />}
      </div>

      {/* The scroller is positioned, not a flex item: its content's layout then never depends on
          the column's flex pass, and a growing answer does not re-lay out the whole history. */}
      <div className="relative min-h-0 flex-1">
      <div ref={scroller} onScroll={onScroll} className="absolute inset-0 overflow-y-auto" tabIndex={-1}>
        <div ref={content} className="mx-auto w-full max-w-3xl px-3 pb-6 sm:px-6">
          {hero}
          {!model.served && (
            <div role="note" className="mt-4 rounded-xl border border-amber-400/60 bg-amber-50 p-4 text-sm text-amber-950 dark:bg-amber-950/40 dark:text-amber-100">
              <p className="font-semibold">This model is not served here.</p>
              <p className="mt-1">{model.unservedReason}</p>
              <p className="mt-1">Pick an active model with the Model menu above.</p>
            </div>
          )}
          {model.takesSystemPrompt && model.served && (
            <SystemPrompt modelId={model.id} conversationId={conversation} />
          )}
          {hydrated && messages.length === 0 && model.served && (
            <p className="mt-8 text-center text-sm text-neutral-500 dark:text-neutral-400">
              Ask {model.name} anything to start a conversation.
            </p>
          )}
          <section aria-label="Messages" className="mt-4 space-y-6">
            {conversation &&
              messages.map((m, i) => (
                <MessageItem
                  key={m.id}
                  conversationId={conversation}
                  message={m}
                  isLast={i === lastIndex}
                  run={i === lastIndex ? run : undefined}
                  avatar={model.avatar}
                  modelName={model.name}
                  requestModel={requestModel}
                  canAct={model.served}
                />
              ))}
          </section>
        </div>
        {!atBottom && messages.length > 0 && (
          <button
            type="button"
            onClick={() => {
              stick.current = true;
              setAtBottom(true);
              scrollToEnd("smooth");
            }}
            className="sticky bottom-3 left-full mr-4 ml-auto flex size-9 items-center justify-center rounded-full border border-neutral-300 bg-white shadow-md dark:border-neutral-700 dark:bg-neutral-900"
            aria-label="Scroll to the latest message"
          >
            <ArrowDownIcon />
          </button>
        )}
      </div>
      </div>

      {model.served ? (
        <Composer
          modelId={model.id}
          conversationId={conversation}
          placeholder={model.placeholder}
          requestModel={requestModel}
          running={!!run}
          disabled={!hydrated}
          onSent={onSent}
        />
      ) : (
        <p className="border-t border-neutral-200 p-4 text-center text-sm text-neutral-500 dark:border-neutral-800 dark:text-neutral-400">
          Chat is off for this model: it is not served by this deployment.
        </p>
      )}
    </>
  );
}
