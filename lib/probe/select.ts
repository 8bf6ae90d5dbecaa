import type { Registry, RegistryModel } from "../registry/check";
import type { MemoryProbe } from "./memory";

export type DefaultChoice = { model: RegistryModel; reason: "DEFAULT_MODEL" | "memory" | "fallback" };

/**
 * The seed's rule, generalised: the most demanding served active model whose `minMemoryMB` the
 * available memory exceeds (TinyLlama above 8 GB, else CodeT5-Small). DEFAULT_MODEL wins when it
 * names a served model.
 */
export function selectDefaultModel(registry: Registry, memory: MemoryProbe, override?: string): DefaultChoice {
  const candidates = registry.models.filter((m) => m.status === "active" && m.served);
  const chosen = override ? registry.models.find((m) => m.id === override && m.served) : undefined;
  if (chosen) return { model: chosen, reason: "DEFAULT_MODEL" };

  const byNeed = [...candidates].sort((a, b) => b.minMemoryMB - a.minMemoryMB);
  const fits = byNeed.find((m) => memory.availableMB > m.minMemoryMB);
  if (fits) return { model: fits, reason: "memory" };
  const smallest = byNeed.at(-1);
  if (!smallest) throw new Error("The registry has no served active model");
  return { model: smallest, reason: "fallback" };
}
