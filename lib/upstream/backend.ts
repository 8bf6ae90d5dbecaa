import type { RegistryModel } from "../registry/check";
import type { StatusEvent } from "../stream/events";
import type { Conversation } from "./conversation";
import type { Delta } from "../stream/delta";
import type { Limits } from "./limits";

/**
 * One interface for every upstream kind. A backend turns one chat request into one upstream job
 * and yields what happens: status changes and deltas (new text only). It ends normally when the
 * answer is complete, or when `signal` aborts (the user pressed Stop): then it has cancelled the
 * upstream job before returning. Every failure is thrown as a ChatError (see errors.ts).
 */
export type BackendRequest = {
  model: RegistryModel;
  conversation: Conversation;
  /** Every setting of the model, defaults filled in, already checked against min/max. */
  settings: Record<string, number>;
  /** Identifies the conversation across requests (upstream session state hangs off it). */
  conversationId?: string;
  limits: Limits;
};

export type BackendEvent = { type: "status"; data: StatusEvent } | { type: "delta"; data: Delta };

export interface ChatBackend {
  stream(request: BackendRequest, signal: AbortSignal): AsyncIterable<BackendEvent>;
}
