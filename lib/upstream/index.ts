import "server-only";
import type { RegistryModel } from "../registry/check";
import type { ChatBackend } from "./backend";
import { gradioBackend } from "./gradio/backend";

/** The backend that serves a model, by its registry upstream type. */
export function backendFor(model: RegistryModel): ChatBackend {
  switch (model.upstream.type) {
    case "gradio":
      return gradioBackend;
  }
}
