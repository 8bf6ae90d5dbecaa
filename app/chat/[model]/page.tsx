import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { findModel } from "@/lib/registry/load";

type Props = { params: Promise<{ model: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const model = findModel((await params).model);
  return { title: model ? model.name : "Model not found" };
}

export default async function ModelPage({ params }: Props) {
  const model = findModel((await params).model);
  if (!model) notFound();
  return (
    <main className="mx-auto max-w-3xl p-6">
      <h1 className="text-2xl font-semibold">{model.name}</h1>
      <p className="mt-1 text-neutral-600 dark:text-neutral-400">{model.tagline}</p>
      {!model.served && (
        <p role="alert" className="mt-4 rounded border border-amber-400 bg-amber-50 p-3 dark:bg-amber-950">
          {model.unservedReason}
        </p>
      )}
    </main>
  );
}
