import type { z } from "zod";
import { formatMB } from "../format-size";
import { RegistrySchema, type Model, type RegistryFile } from "./schema";

/** A registry model as the app serves it: whether the size check lets it be served, and why not. */
export type RegistryModel = Model & { served: boolean; unservedReason?: string };
export type Registry = { sizeLimitMB: number; models: RegistryModel[] };

export type CheckResult =
  | { ok: true; registry: Registry; problems: [] }
  | { ok: false; problems: string[] };

/**
 * Validates a parsed registry file and applies the size check.
 * An active model over the limit makes the registry invalid: the operator promised to serve it.
 * A legacy model over the limit stays listed but is not served, with the reason spelled out.
 */
export function checkRegistry(raw: unknown, limitOverrideMB?: number): CheckResult {
  const parsed = RegistrySchema.safeParse(raw);
  if (!parsed.success) return { ok: false, problems: formatIssues(parsed.error, raw) };

  const file: RegistryFile = parsed.data;
  const sizeLimitMB = limitOverrideMB ?? file.sizeLimitMB;
  const problems: string[] = [];
  const models = file.models.map((model): RegistryModel => {
    if (model.sizeMB <= sizeLimitMB) return { ...model, served: true };
    if (model.status === "active") {
      problems.push(
        `${model.id}: active model is ${model.sizeMB} MB, over the size limit of ${sizeLimitMB} MB ` +
          `(make it legacy, or raise the limit with MODEL_SIZE_LIMIT_MB)`,
      );
    }
    return {
      ...model,
      served: false,
      unservedReason:
        `${model.name} weighs about ${formatMB(model.sizeMB)}, over this deployment's limit of ` +
        `${formatMB(sizeLimitMB)} per model. An operator can serve it by raising MODEL_SIZE_LIMIT_MB ` +
        `to at least ${Math.ceil(model.sizeMB)}.`,
    };
  });
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, registry: { sizeLimitMB, models }, problems: [] };
}

/** One line per zod issue, naming the model by id where the path goes through one. */
function formatIssues(error: z.ZodError, raw: unknown): string[] {
  return error.issues.map((issue) => {
    const [first, index, ...rest] = issue.path;
    if (first === "models" && typeof index === "number") {
      const id = modelIdAt(raw, index) ?? `models[${index}]`;
      const where = rest.length > 0 ? ` (${rest.join(".")})` : "";
      return `${id}${where}: ${issue.message}`;
    }
    return `${issue.path.join(".") || "registry"}: ${issue.message}`;
  });
}

function modelIdAt(raw: unknown, index: number): string | undefined {
  const models = (raw as { models?: unknown })?.models;
  const id = Array.isArray(models) ? (models[index] as { id?: unknown })?.id : undefined;
  return typeof id === "string" ? id : undefined;
}
