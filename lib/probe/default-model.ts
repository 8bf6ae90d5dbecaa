import { readConfig } from "../config";
import { getRegistry } from "../registry/load";
import { probeMemory } from "./memory";
import { selectDefaultModel } from "./select";

/** Probed per request: a container's free memory changes while the server runs. */
export function currentDefaultModel() {
  const memory = probeMemory();
  const choice = selectDefaultModel(getRegistry(), memory, readConfig().defaultModel);
  return { memory, ...choice };
}
