import { currentDefaultModel } from "@/lib/probe/default-model";
import { getRegistry } from "@/lib/registry/load";
import { toPublicModel } from "@/lib/registry/public";

export const dynamic = "force-dynamic";

export function GET() {
  const registry = getRegistry();
  return Response.json({
    sizeLimitMB: registry.sizeLimitMB,
    defaultModel: currentDefaultModel().model.id,
    models: registry.models.map(toPublicModel),
  });
}
