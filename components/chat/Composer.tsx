"use client";

import { useEffect, useRef, useState } from "react";
import { preloadDecoder, sendMessage, stopAnswer, type ChatRequestModel } from "@/lib/client/send";
import { SendIcon, StopIcon } from "@/components/ui/icons";

/**
 * The message box. Enter sends and Shift+Enter adds a line, except while an input method is
 * composing (Enter then confirms the composition). One button is Send, or Stop while the answer
 * streams: it stays the same element, so keyboard focus survives the switch.
 */
export function Composer({
  modelId,
  conversationId,
  placeholder,
  requestModel,
  running,
  disabled,
  onSent,
}: {
  modelId: string;
  conversationId: string | undefined;
  placeholder: string;
  requestModel: ChatRequestModel;
  running: boolean;
  disabled: boolean;
  onSent: () => void;
}) {
  const [text, setText] = useState("");
  const box = useRef<HTMLTextAreaElement>(null);
  const canSend = !disabled && !running && text.trim() !== "";

  // Load the stream decoder while the user types, not with the page.
  useEffect(() => {
    const idle = window.requestIdleCallback?.(() => preloadDecoder()) ?? window.setTimeout(preloadDecoder, 1500);
    return () => (window.cancelIdleCallback ? window.cancelIdleCallback(idle) : clearTimeout(idle));
  }, []);

  const send = () => {
    if (!canSend) return;
    sendMessage(modelId, conversationId, text.trim(), requestModel);
    setText("");
    onSent();
    box.current?.focus();
  };

  return (
    <div className="shrink-0 border-t border-neutral-200 bg-white px-3 pt-3 pb-[max(0.75rem,env(safe-area-inset-bottom))] sm:px-6 dark:border-neutral-800 dark:bg-neutral-950">
      <form
        className="mx-auto flex w-full max-w-3xl items-end gap-2 rounded-2xl border border-neutral-300 bg-white p-1.5 pl-3 shadow-sm focus-within:border-accent-500 dark:border-neutral-700 dark:bg-neutral-900"
        onSubmit={(e) => {
          e.preventDefault();
          send();
        }}
      >
        <label htmlFor="composer" className="sr-only">
          Message
        </label>
        <textarea
          id="composer"
          ref={box}
          value={text}
          rows={1}
          placeholder={placeholder}
          enterKeyHint="send"
          autoComplete="off"
          maxLength={32_000}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key !== "Enter" || e.shiftKey || e.altKey || e.nativeEvent.isComposing || e.keyCode === 229) return;
            e.preventDefault();
            send();
          }}
          className="max-h-48 min-h-9 flex-1 resize-none bg-transparent py-1.5 leading-6 outline-none [field-sizing:content] placeholder:text-neutral-500 dark:placeholder:text-neutral-400"
        />
        <button
          type={running ? "button" : "submit"}
          aria-label={running ? "Stop" : "Send"}
          title={running ? "Stop the answer" : "Send (Enter)"}
          disabled={running ? false : !canSend}
          onClick={
            running
              ? () => {
                  if (conversationId) stopAnswer(conversationId);
                }
              : undefined
          }
          className={`grid size-9 shrink-0 place-items-center rounded-xl text-white transition-colors disabled:cursor-not-allowed disabled:opacity-40 ${
            running ? "bg-neutral-800 hover:bg-neutral-700 dark:bg-neutral-200 dark:text-neutral-900" : "bg-accent-600 hover:bg-accent-700"
          }`}
        >
          {running ? <StopIcon /> : <SendIcon />}
        </button>
      </form>
      <p className="mx-auto mt-1.5 hidden max-w-3xl text-center text-xs text-neutral-500 sm:block dark:text-neutral-400">
        Enter to send · Shift+Enter for a new line
      </p>
    </div>
  );
}
