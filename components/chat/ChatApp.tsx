"use client";

import Link from "next/link";
import { useCallback, useMemo, useState, type ReactNode } from "react";
import { useHydratedChatStore } from "@/lib/store/hydrate";
import { Drawer } from "@/components/ui/Drawer";
import { MenuIcon, SlidersIcon } from "@/components/ui/icons";
import { ThemeToggle } from "@/components/ui/ThemeToggle";
import { ModelSwitcher } from "@/components/model/ModelSwitcher";
import { SettingsPanel } from "@/components/model/SettingsPanel";
import { Metrics } from "@/components/model/Metrics";
import type { ChatModel, SwitcherEntry } from "@/components/model/types";
import type { ChatRequestModel } from "@/lib/client/send";
import { ConversationList } from "./ConversationList";
import { ChatView } from "./ChatView";

type Panel = "conversations" | "model" | null;

/**
 * The page frame: header (switcher, theme), conversations on the left, the chat in the middle,
 * the model's card, settings and tips on the right. Side panels are drawers on narrow screens.
 * The card, tips and hero are server-rendered and passed in as slots.
 */
export function ChatApp({
  model,
  models,
  hero,
  card,
  tips,
}: {
  model: ChatModel;
  models: SwitcherEntry[];
  hero: ReactNode;
  card: ReactNode;
  tips: ReactNode;
}) {
  const hydrated = useHydratedChatStore();
  const [panel, setPanel] = useState<Panel>(null);
  const close = useCallback(() => setPanel(null), []);
  const requestModel: ChatRequestModel = useMemo(
    () => ({ id: model.id, takesSystemPrompt: model.takesSystemPrompt, settings: model.settings }),
    [model],
  );

  return (
    <div className="flex h-dvh flex-col">
      {model.served && (
        <a href="#composer" className="skip-link">
          Skip to the message box
        </a>
      )}
      <header className="flex h-14 shrink-0 items-center gap-1.5 border-b border-neutral-200 px-2 sm:gap-3 sm:px-3 dark:border-neutral-800">
        <button
          type="button"
          className="icon-button lg:hidden"
          aria-label="Conversations"
          aria-expanded={panel === "conversations"}
          aria-controls="conversations-panel"
          onClick={() => setPanel(panel === "conversations" ? null : "conversations")}
        >
          <MenuIcon />
        </button>
        <Link href="/" prefetch={false} className="flex shrink-0 items-center gap-2 font-semibold tracking-tight">
          <span className="grid size-7 place-items-center rounded-lg bg-accent-600 text-sm text-white" aria-hidden="true">
            V
          </span>
          <span className="sr-only sm:not-sr-only">VARIABOT</span>
        </Link>
        <div className="min-w-0 flex-1">
          <ModelSwitcher current={model.id} models={models} />
        </div>
        <button
          type="button"
          className="icon-button xl:hidden"
          aria-label="Model info and settings"
          aria-expanded={panel === "model"}
          aria-controls="model-panel"
          onClick={() => setPanel(panel === "model" ? null : "model")}
        >
          <SlidersIcon />
        </button>
        <ThemeToggle />
      </header>

      <div className="flex min-h-0 flex-1">
        <Drawer id="conversations-panel" label="Conversations" side="left" open={panel === "conversations"} onClose={close} className="lg:w-64">
          <ConversationList modelId={model.id} hydrated={hydrated} onPicked={close} />
        </Drawer>

        <main className="flex min-w-0 flex-1 flex-col" id="main">
          <ChatView model={model} requestModel={requestModel} hydrated={hydrated} hero={hero} />
        </main>

        <Drawer id="model-panel" label="About this model" side="right" open={panel === "model"} onClose={close} className="xl:w-80">
          <div className="min-h-0 flex-1 space-y-1 overflow-y-auto px-4 pb-6">
            {card}
            <SettingsPanel model={model} />
            {tips}
            <Metrics modelId={model.id} />
            <footer className="pt-4 text-xs leading-relaxed text-neutral-500 dark:text-neutral-400">
              VARIABOT · answers come from models hosted on Hugging Face Spaces and can be wrong. Conversations stay in this
              browser.
            </footer>
          </div>
        </Drawer>
      </div>
    </div>
  );
}
