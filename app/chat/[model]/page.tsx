import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ChatApp } from "@/components/chat/ChatApp";
import { formatMB } from "@/lib/format-size";
import { ModelCard } from "@/components/model/ModelCard";
import { ModelHero } from "@/components/model/ModelHero";
import type { SwitcherEntry } from "@/components/model/types";
import { UsageTips } from "@/components/model/UsageTips";
import { currentDefaultModel } from "@/lib/probe/default-model";
import { findModel, getRegistry } from "@/lib/registry/load";
import { toPublicModel } from "@/lib/registry/public";

type Props = { params: Promise<{ model: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const model = findModel((await params).model);
  return {
    title: model ? model.name : "Model not found",
    description: model?.tagline,
  };
}

/** One page per registry model, as each old Streamlit script was one page per model. */
export default async function ModelPage({ params }: Props) {
  const found = findModel((await params).model);
  if (!found) notFound();
  const model = toPublicModel(found);
  const defaultId = currentDefaultModel().model.id;
  const models: SwitcherEntry[] = getRegistry().models.map((m) => ({
    id: m.id,
    name: m.name,
    size: formatMB(m.sizeMB),
    status: m.status,
    served: m.served,
    isDefault: m.id === defaultId,
  }));

  return (
    <ChatApp
      model={model}
      models={models}
      hero={<ModelHero model={model} />}
      card={<ModelCard model={model} />}
      tips={<UsageTips model={model} />}
    />
  );
}
