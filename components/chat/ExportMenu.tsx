"use client";

import { useRef } from "react";
import { useChatStore } from "@/lib/store/chat";
import { DownloadIcon } from "@/components/ui/icons";
import type { ChatModel } from "@/components/model/types";

/** Export as Markdown or JSON; the exporter loads when used. */
export function ExportMenu({ conversationId, model }: { conversationId: string; model: ChatModel }) {
  const menu = useRef<HTMLDetailsElement>(null);
  const run = async (format: "markdown" | "json") => {
    const conversation = useChatStore.getState().conversations[conversationId];
    if (!conversation) return;
    const { downloadConversation } = await import("@/lib/client/export");
    downloadConversation(conversation, { id: model.id, name: model.name }, format);
    if (menu.current) menu.current.open = false;
  };
  return (
    <details ref={menu} className="relative">
      <summary className="flex cursor-pointer list-none items-center gap-1.5 rounded-lg px-2 py-1.5 text-sm hover:bg-neutral-100 dark:hover:bg-neutral-800">
        <DownloadIcon width={16} height={16} /> Export
      </summary>
      <div className="absolute right-0 z-20 mt-1 w-44 rounded-lg border border-neutral-200 bg-white p-1 shadow-lg dark:border-neutral-700 dark:bg-neutral-900">
        <button type="button" onClick={() => run("markdown")} className="block w-full rounded-md px-3 py-2 text-left text-sm hover:bg-neutral-100 dark:hover:bg-neutral-800">
          Export Markdown
        </button>
        <button type="button" onClick={() => run("json")} className="block w-full rounded-md px-3 py-2 text-left text-sm hover:bg-neutral-100 dark:hover:bg-neutral-800">
          Export JSON
        </button>
      </div>
    </details>
  );
}
