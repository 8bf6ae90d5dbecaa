import type { RegistryModel } from "./check";
import { takesSystemPrompt } from "./schema";

/**
 * What the browser may know of a model: its card, settings and whether it is served. The
 * upstream (Space ids, URLs, call shapes) stays on the server.
 */
export function toPublicModel(model: RegistryModel) {
  return {
    id: model.id,
    name: model.name,
    tagline: model.tagline,
    sizeMB: model.sizeMB,
    parameters: model.parameters,
    specialization: model.specialization,
    capabilities: model.capabilities,
    usageTips: model.usageTips,
    memoryUseMB: model.memoryUseMB,
    speed: model.speed,
    placeholder: model.placeholder,
    avatar: model.avatar,
    logo: model.logo,
    status: model.status,
    served: model.served,
    unservedReason: model.unservedReason,
    settings: model.settings,
    takesSystemPrompt: takesSystemPrompt(model.upstream),
  };
}
export type PublicModel = ReturnType<typeof toPublicModel>;
