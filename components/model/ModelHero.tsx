import type { ChatModel } from "./types";

/** The top of every old page: logo, name, one-line tagline, a horizontal rule. */
export function ModelHero({ model }: { model: ChatModel }) {
  return (
    <div className="pt-6 pb-2">
      <div className="flex items-center gap-3">
        {/* eslint-disable-next-line @next/next/no-img-element -- small SVG logo from public/, nothing to optimise */}
        <img src={model.logo} alt="" width={120} height={32} className="h-8 w-auto rounded-md" />
        {model.status === "legacy" && (
          <span className="rounded-full border border-amber-500/40 bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-800 dark:bg-amber-950 dark:text-amber-200">
            Legacy
          </span>
        )}
      </div>
      <h1 className="mt-3 text-2xl font-semibold tracking-tight">{model.name}</h1>
      <p className="mt-1 text-neutral-600 dark:text-neutral-400">{model.tagline}</p>
      <hr className="mt-4 border-neutral-200 dark:border-neutral-800" />
    </div>
  );
}
