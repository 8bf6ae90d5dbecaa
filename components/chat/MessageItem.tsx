"use client";

import { memo, useState } from "react";
import { editAndResend, regenerate, type ChatRequestModel } from "@/lib/client/send";
import type { Run } from "@/lib/store/runs";
import type { Message } from "@/lib/store/types";
import { CopyButton } from "@/components/ui/CopyButton";
import { EditIcon, RefreshIcon } from "@/components/ui/icons";
import { Markdown } from "./Markdown";
import { StatusLine } from "./StatusLine";

type Props = {
  conversationId: string;
  message: Message;
  isLast: boolean;
  run: Run | undefined;
  avatar: string;
  modelName: string;
  requestModel: ChatRequestModel;
  canAct: boolean;
};

const STATUS_LABEL: Partial<Record<NonNullable<Message["status"]>, string>> = {
  streaming: "answering",
  stopped: "stopped",
  interrupted: "interrupted",
  error: "failed",
};

/** One message. Memoized: finished messages keep their object, so a stream re-renders only its own. */
export const MessageItem = memo(function MessageItem({
  conversationId,
  message,
  isLast,
  run,
  avatar,
  modelName,
  requestModel,
  canAct,
}: Props) {
  const [editing, setEditing] = useState(false);
  const isUser = message.role === "user";
  const status = message.status;
  const streaming = status === "streaming";
  const note = status ? STATUS_LABEL[status] : undefined;
  const label = `${message.role} message${note ? `, ${note}` : ""}`;
  const idle = !run;

  return (
    <article aria-label={label} className={`group flex gap-3 ${isUser ? "flex-row-reverse" : ""}`} data-status={status}>
      {/* eslint-disable-next-line @next/next/no-img-element -- tiny SVG avatars from public/ */}
      <img
        src={isUser ? "/avatars/user.svg" : avatar}
        alt=""
        width={32}
        height={32}
        className="mt-0.5 size-8 shrink-0 rounded-full"
      />
      <div className={`flex min-w-0 flex-col ${isUser ? "items-end" : "flex-1"}`}>
        <span className="sr-only">{isUser ? "You" : modelName}:</span>
        {editing ? (
          <EditBox
            initial={message.content}
            onCancel={() => setEditing(false)}
            onSave={(text) => {
              setEditing(false);
              editAndResend(conversationId, message.id, text, requestModel);
            }}
          />
        ) : isUser ? (
          <div className="max-w-[85%] rounded-2xl rounded-tr-md bg-accent-50 px-4 py-2.5 whitespace-pre-wrap text-neutral-900 dark:bg-neutral-800 dark:text-neutral-100 [overflow-wrap:anywhere]">
            {message.content}
          </div>
        ) : (
          <div className="min-w-0 pt-1">
            {message.content ? (
              <Markdown text={message.content} streaming={streaming} />
            ) : (
              streaming && <span aria-hidden="true" className="streaming-cursor">{"\u258C"}</span>
            )}
            {streaming && run && !run.hasText && <StatusLine status={run.status} />}
          </div>
        )}

        {message.error && (
          <div role="alert" className="mt-2 rounded-lg border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900 dark:border-red-800 dark:bg-red-950/50 dark:text-red-100">
            <p>{message.error.message}</p>
            {message.error.retryable && isLast && canAct && (
              <button
                type="button"
                disabled={!idle}
                onClick={() => regenerate(conversationId, requestModel)}
                className="mt-2 inline-flex items-center gap-1.5 rounded-md bg-red-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-700 disabled:opacity-50"
              >
                <RefreshIcon width={14} height={14} /> Retry
              </button>
            )}
          </div>
        )}

        {!editing && !streaming && (
          <div className={`mt-1 flex flex-wrap items-center gap-1 text-xs text-neutral-500 dark:text-neutral-400 ${isUser ? "justify-end" : ""}`}>
            {status === "stopped" && <span className="rounded bg-neutral-100 px-1.5 py-0.5 dark:bg-neutral-800">Stopped</span>}
            {status === "interrupted" && (
              <span className="rounded bg-amber-100 px-1.5 py-0.5 text-amber-900 dark:bg-amber-900/40 dark:text-amber-100">
                Interrupted: the page closed before the answer finished
              </span>
            )}
            {message.content && <CopyButton text={message.content} label="Copy" className="!min-h-8 !min-w-8" />}
            {isUser && canAct && idle && (
              <button type="button" className="icon-button !min-h-8 !min-w-8" aria-label="Edit" title="Edit and resend" onClick={() => setEditing(true)}>
                <EditIcon width={16} height={16} />
              </button>
            )}
            {!isUser && isLast && canAct && idle && status !== "error" && (
              <button type="button" className="icon-button !min-h-8 !min-w-8" aria-label="Regenerate" title="Regenerate" onClick={() => regenerate(conversationId, requestModel)}>
                <RefreshIcon width={16} height={16} />
              </button>
            )}
            {!isUser && message.stats && <Stats stats={message.stats} />}
          </div>
        )}
      </div>
    </article>
  );
});

function Stats({ stats }: { stats: NonNullable<Message["stats"]> }) {
  const seconds = stats.elapsedMs / 1000;
  const rate = seconds > 0 ? Math.round(stats.chars / seconds) : undefined;
  return (
    <span className="ml-1 tabular-nums" title="Characters, total time and speed of this answer">
      {stats.chars} chars · {seconds.toFixed(1)} s{rate !== undefined ? ` · ${rate} chars/s` : ""}
    </span>
  );
}

function EditBox({ initial, onSave, onCancel }: { initial: string; onSave: (text: string) => void; onCancel: () => void }) {
  const [text, setText] = useState(initial);
  const submit = () => {
    if (text.trim()) onSave(text.trim());
  };
  return (
    <form
      className="w-full max-w-xl"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <textarea
        autoFocus
        aria-label="Edit message"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Escape") onCancel();
          if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing && e.keyCode !== 229) {
            e.preventDefault();
            submit();
          }
        }}
        rows={3}
        className="w-full resize-y rounded-xl border border-neutral-300 bg-white px-3 py-2 dark:border-neutral-700 dark:bg-neutral-900"
      />
      <div className="mt-1.5 flex justify-end gap-2">
        <button type="button" onClick={onCancel} className="rounded-lg px-3 py-1.5 text-sm hover:bg-neutral-100 dark:hover:bg-neutral-800">
          Cancel
        </button>
        <button type="submit" disabled={!text.trim()} className="rounded-lg bg-accent-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-accent-700 disabled:opacity-50">
          Save and send
        </button>
      </div>
    </form>
  );
}
