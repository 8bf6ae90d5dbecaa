/**
 * `npm run registry:check [file]`: validates the model registry the way the server will load it
 * (MODELS_REGISTRY and MODEL_SIZE_LIMIT_MB apply). One line per problem; exit 1 on any.
 */
import { readConfig } from "../lib/config";
import { RegistryError, loadRegistryFile } from "../lib/registry/load";

const config = readConfig();
const file = process.argv[2] ?? config.registryPath;
try {
  const registry = loadRegistryFile(file, config.sizeLimitOverrideMB);
  const served = registry.models.filter((m) => m.served).length;
  console.log(`ok ${file}: ${registry.models.length} models, ${served} served, size limit ${registry.sizeLimitMB} MB`);
  for (const m of registry.models.filter((m) => !m.served)) {
    console.log(`  not served: ${m.id} (${m.status}, ${m.sizeMB} MB > ${registry.sizeLimitMB} MB)`);
  }
} catch (error) {
  if (!(error instanceof RegistryError)) throw error;
  console.error(`registry invalid: ${file}`);
  for (const problem of error.problems) console.error(`error ${problem}`);
  process.exit(1);
}
