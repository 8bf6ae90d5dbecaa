/**
 * Writes the shipped registry with every model's Space pointed at its local replica (spaces/),
 * for the demo and the tests. `npx tsx scripts/local-registry.ts [out]` writes
 * `.local/models.registry.json` for the replicas' default ports.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Model, RegistryFile } from "../lib/registry/schema";
import { DEFAULT_REPLICA_PORTS, type ReplicaName } from "../tests/helpers/replicas";

/** Where `spaces/serve.py` puts each replica by default. */
export const DEFAULT_REPLICA_URLS = Object.fromEntries(
  Object.entries(DEFAULT_REPLICA_PORTS).map(([name, port]) => [name, `http://127.0.0.1:${port}`]),
) as Record<ReplicaName, string>;

/** Which replica mimics each shipped model's upstream. */
export const REPLICA_FOR_MODEL: Record<string, ReplicaName> = {
  "tinyllama-1.1b-chat": "tinyllama",
  "codet5-small": "codet5",
  "qwen1.5-110b-chat": "qwen",
  "qwen1.5-moe-a2.7b-chat": "qwen",
  "phi-3-mini-128k-instruct": "phi3",
  "openelm-3b": "openelm",
};

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const LOCAL_REGISTRY_FILE = path.join(root, ".local", "models.registry.json");

/** The shipped registry with each model whose replica is in `urls` pointed at it. */
export function localRegistry(urls: Partial<Record<ReplicaName, string>> = DEFAULT_REPLICA_URLS): RegistryFile {
  const shipped = JSON.parse(readFileSync(path.join(root, "models.registry.json"), "utf8")) as RegistryFile;
  const models = shipped.models.map((model): Model => {
    const replica = REPLICA_FOR_MODEL[model.id];
    const url = replica && urls[replica];
    return url ? { ...model, upstream: { ...model.upstream, space: url } } : model;
  });
  return { ...shipped, models };
}

export function writeLocalRegistry(file = LOCAL_REGISTRY_FILE, registry = localRegistry()): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(registry, null, 2) + "\n");
  return file;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  console.log(`wrote ${writeLocalRegistry(process.argv[2] ? path.resolve(process.argv[2]) : undefined)}`);
}
