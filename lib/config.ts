import path from "node:path";
import { z } from "zod";

/**
 * Operator settings that are not secrets, parsed once. Read at run time, never baked into the
 * build, so a deployment can change them with a restart.
 */
const ConfigSchema = z.object({
  MODELS_REGISTRY: z.string().min(1).optional(),
  MODEL_SIZE_LIMIT_MB: z.coerce.number().positive().optional(),
  DEFAULT_MODEL: z.string().min(1).optional(),
});

export type Config = { registryPath: string; sizeLimitOverrideMB?: number; defaultModel?: string };

export function readConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = ConfigSchema.safeParse({
    MODELS_REGISTRY: env.MODELS_REGISTRY || undefined,
    MODEL_SIZE_LIMIT_MB: env.MODEL_SIZE_LIMIT_MB || undefined,
    DEFAULT_MODEL: env.DEFAULT_MODEL || undefined,
  });
  if (!parsed.success) {
    throw new Error(`Invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  const c = parsed.data;
  return {
    // turbopackIgnore: the file is chosen at run time; next.config.ts traces the default one.
    registryPath: path.resolve(/*turbopackIgnore: true*/ c.MODELS_REGISTRY ?? path.join(/*turbopackIgnore: true*/ process.cwd(), "models.registry.json")),
    sizeLimitOverrideMB: c.MODEL_SIZE_LIMIT_MB,
    defaultModel: c.DEFAULT_MODEL,
  };
}
