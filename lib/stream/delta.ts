import type { z } from "zod";
import type { DeltaEventSchema } from "./events";

/**
 * What a consumer of the chat stream does with a `delta` event (lib/stream/events.ts): append
 * its text, or, when it carries `from`, keep only the first `from` characters and append after
 * them. Type-only imports: the browser store uses it without loading zod.
 */
export type Delta = z.infer<typeof DeltaEventSchema>;

export function applyDelta(answer: string, delta: Delta): string {
  return (delta.from === undefined ? answer : answer.slice(0, delta.from)) + delta.text;
}
