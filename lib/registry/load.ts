import { readFileSync } from "node:fs";
import { readConfig } from "../config";
import { checkRegistry, type Registry, type RegistryModel } from "./check";

export class RegistryError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`Model registry ${file} is invalid:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

/** Reads and checks a registry file; throws a RegistryError that lists every problem. */
export function loadRegistryFile(file: string, sizeLimitOverrideMB?: number): Registry {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new RegistryError(file, [`cannot read as JSON: ${(error as Error).message}`]);
  }
  const result = checkRegistry(raw, sizeLimitOverrideMB);
  if (!result.ok) throw new RegistryError(file, result.problems);
  return result.registry;
}

let cached: Registry | undefined;

/** The registry this server process serves, read once from MODELS_REGISTRY or the default file. */
export function getRegistry(): Registry {
  if (!cached) {
    const config = readConfig();
    cached = loadRegistryFile(config.registryPath, config.sizeLimitOverrideMB);
  }
  return cached;
}

export function findModel(id: string): RegistryModel | undefined {
  return getRegistry().models.find((m) => m.id === id);
}

/** Test hook: forget the cached registry so the next call reads MODELS_REGISTRY again. */
export function resetRegistryCacheForTests(): void {
  cached = undefined;
}
