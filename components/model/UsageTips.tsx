import type { ChatModel } from "./types";

/** The "Usage tips" expander of the later Streamlit pages. */
export function UsageTips({ model }: { model: ChatModel }) {
  if (model.usageTips.length === 0) return null;
  return (
    <details className="panel-section group" open>
      <summary className="panel-heading cursor-pointer list-none select-none">
        <span className="flex items-center gap-1">
          <svg viewBox="0 0 24 24" width="14" height="14" aria-hidden="true" className="transition-transform group-open:rotate-90">
            <path d="m9 6 6 6-6 6" fill="none" stroke="currentColor" strokeWidth="2.5" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
          Usage tips
        </span>
      </summary>
      <ul className="mt-2 list-disc space-y-1 pl-5 text-sm text-neutral-700 dark:text-neutral-300">
        {model.usageTips.map((tip) => (
          <li key={tip}>{tip}</li>
        ))}
      </ul>
    </details>
  );
}
