"use client";

import { useChatStore } from "@/lib/store/chat";

/** The old pages' "Performance metrics": the last finished answer in the open conversation. */
export function Metrics({ modelId }: { modelId: string }) {
  const stats = useChatStore((s) => {
    const id = s.activeByModel[modelId];
    const messages = id ? s.conversations[id]?.messages : undefined;
    for (let i = (messages?.length ?? 0) - 1; i >= 0; i--) {
      const m = messages![i]!;
      if (m.role === "assistant" && m.stats) return m.stats;
    }
    return undefined;
  });
  const seconds = stats ? stats.elapsedMs / 1000 : 0;
  const rows: Array<[string, string]> = stats
    ? [
        ["Time to first text", stats.firstTokenMs !== undefined ? `${(stats.firstTokenMs / 1000).toFixed(2)} s` : "n/a"],
        ["Total time", `${seconds.toFixed(2)} s`],
        ["Length", `${stats.chars} chars`],
        ["Speed", seconds > 0 ? `${Math.round(stats.chars / seconds)} chars/s` : "n/a"],
      ]
    : [];
  return (
    <section aria-labelledby="metrics-heading" className="panel-section">
      <h2 id="metrics-heading" className="panel-heading">
        Performance metrics
      </h2>
      {stats ? (
        <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
          {rows.map(([k, v]) => (
            <div key={k} className="contents">
              <dt className="text-neutral-500 dark:text-neutral-400">{k}</dt>
              <dd className="text-right font-mono text-xs tabular-nums leading-5">{v}</dd>
            </div>
          ))}
        </dl>
      ) : (
        <p className="mt-2 text-sm text-neutral-500 dark:text-neutral-400">Figures for the last answer appear here.</p>
      )}
    </section>
  );
}
