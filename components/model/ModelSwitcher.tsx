"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import type { SwitcherEntry } from "./types";

function describe(m: SwitcherEntry) {
  const status = m.status === "active" ? "active" : m.served ? "legacy" : "legacy, not served";
  return `${m.name} · ${m.size} · ${status}${m.isDefault ? " · default" : ""}`;
}

/** A labelled native select: keyboard, screen reader and mobile friendly without extra code. */
export function ModelSwitcher({ current, models }: { current: string; models: SwitcherEntry[] }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <div className="flex min-w-0 items-center gap-2">
      <label htmlFor="model-switcher" className="hidden text-sm text-neutral-500 sm:inline dark:text-neutral-400">
        Model
      </label>
      <select
        id="model-switcher"
        aria-label="Model"
        value={current}
        aria-busy={pending}
        onChange={(e) => {
          const id = e.target.value;
          startTransition(() => router.push(`/chat/${encodeURIComponent(id)}`));
        }}
        className="h-9 w-full min-w-0 max-w-[22rem] truncate rounded-lg border border-neutral-300 bg-white pr-8 pl-2.5 text-sm font-medium shadow-xs dark:border-neutral-700 dark:bg-neutral-900"
      >
        {models.map((m) => (
          <option key={m.id} value={m.id}>
            {describe(m)}
          </option>
        ))}
      </select>
    </div>
  );
}
