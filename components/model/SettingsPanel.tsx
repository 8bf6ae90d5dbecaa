"use client";

import { useChatStore } from "@/lib/store/chat";
import { useHydratedChatStore } from "@/lib/store/hydrate";
import type { ChatModel } from "./types";

const EMPTY: Record<string, number> = {};

/** The model's generation settings as sliders with the registry's ranges and defaults. */
export function SettingsPanel({ model }: { model: ChatModel }) {
  const hydrated = useHydratedChatStore();
  const stored = useChatStore((s) => s.settingsByModel[model.id]) ?? EMPTY;
  const setSetting = useChatStore((s) => s.setSetting);
  const reset = useChatStore((s) => s.resetSettings);
  if (model.settings.length === 0) return null;
  const values = hydrated ? stored : EMPTY;

  return (
    <section aria-labelledby="settings-heading" className="panel-section">
      <div className="flex items-center justify-between">
        <h2 id="settings-heading" className="panel-heading">
          Settings
        </h2>
        <button type="button" onClick={() => reset(model.id)} className="rounded px-1.5 py-0.5 text-xs text-accent-700 hover:underline dark:text-accent-300">
          Reset to defaults
        </button>
      </div>
      <div className="mt-2 space-y-3">
        {model.settings.map((s) => {
          const value = values[s.key] ?? s.default;
          const id = `setting-${s.key}`;
          const shown = s.integer ? String(Math.round(value)) : String(Number(value.toFixed(4)));
          return (
            <div key={s.key}>
              <div className="flex items-baseline justify-between text-sm">
                <label htmlFor={id}>{s.label}</label>
                <output htmlFor={id} className="font-mono text-xs tabular-nums text-neutral-600 dark:text-neutral-300">
                  {shown}
                </output>
              </div>
              <input
                id={id}
                type="range"
                min={s.min}
                max={s.max}
                step={s.step}
                value={value}
                disabled={!model.served}
                onChange={(e) => setSetting(model.id, s.key, Number(e.target.value))}
                className="mt-1 w-full"
              />
              <div className="flex justify-between text-[0.7rem] text-neutral-500 dark:text-neutral-400" aria-hidden="true">
                <span>{s.min}</span>
                <span>default {s.default}</span>
                <span>{s.max}</span>
              </div>
            </div>
          );
        })}
      </div>
    </section>
  );
}
