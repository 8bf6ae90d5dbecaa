import { formatMB } from "@/lib/format-size";
import type { ChatModel } from "./types";

/** The sidebar model card of the later Streamlit pages, from the registry. Server-rendered. */
export function ModelCard({ model }: { model: ChatModel }) {
  const rows: Array<[string, string]> = [
    ["Model", model.name],
    ["Size", formatMB(model.sizeMB)],
    ["Parameters", model.parameters],
    ["Specialization", model.specialization],
    ["Memory use", formatMB(model.memoryUseMB)],
    ["Speed", model.speed],
    ["Status", model.status === "active" ? "Active" : model.served ? "Legacy" : "Legacy, not served here"],
  ];
  return (
    <section aria-labelledby="model-card-heading" className="panel-section">
      <h2 id="model-card-heading" className="panel-heading">
        Model card
      </h2>
      <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1.5 text-sm">
        {rows.map(([term, value]) => (
          <div key={term} className="contents">
            <dt className="text-neutral-500 dark:text-neutral-400">{term}</dt>
            <dd className="min-w-0 font-medium">{value}</dd>
          </div>
        ))}
      </dl>
      <h3 className="mt-4 text-sm font-medium text-neutral-500 dark:text-neutral-400">Capabilities</h3>
      <ul className="mt-1.5 flex flex-wrap gap-1.5">
        {model.capabilities.map((c) => (
          <li key={c} className="rounded-full bg-neutral-100 px-2.5 py-0.5 text-xs dark:bg-neutral-800">
            {c}
          </li>
        ))}
      </ul>
    </section>
  );
}
