import { takesSystemPrompt, type GradioUpstream } from "../../registry/schema";
import { foldIntoPrompt, toPairs, type Conversation } from "../conversation";

/**
 * Maps our chat request onto a Space's call shape (the registry's `inputs`, `call`, `history`)
 * and reads the answer out of each streamed output (`output`). Pure: no network, no state.
 */
export type CallData = unknown[] | Record<string, unknown>;

export type CallOptions = {
  /** history "session": the upstream session already holds the earlier turns. */
  sessionHoldsHistory: boolean;
};

export function buildCallData(
  upstream: GradioUpstream,
  conversation: Conversation,
  settings: Record<string, number>,
  options: CallOptions,
): CallData {
  const values = upstream.inputs.map((slot): [string, unknown] => {
    switch (slot.from) {
      case "prompt":
        return [slot.name, promptText(upstream, conversation, options)];
      case "history":
        return [
          slot.name,
          slot.format === "pairs"
            ? toPairs(conversation.earlier)
            : conversation.earlier.map((t) => ({ role: t.role, content: t.content })),
        ];
      case "system":
        return [slot.name, conversation.system ?? slot.default];
      case "setting": {
        const value = settings[slot.setting];
        if (value === undefined) throw new Error(`no value for setting ${slot.setting}`);
        return [slot.name, value];
      }
      case "const":
        return [slot.name, slot.value];
    }
  });
  return upstream.call === "named" ? Object.fromEntries(values) : values.map(([, value]) => value);
}

function promptText(upstream: GradioUpstream, conversation: Conversation, options: CallOptions): string {
  // A system prompt is folded in only when the API has no place of its own for it.
  const foldSystem = !takesSystemPrompt(upstream);
  switch (upstream.history) {
    case "prompt":
      return foldIntoPrompt(conversation, foldSystem);
    case "session":
      // A new session (new, edited or forgotten conversation) has not seen the earlier turns:
      // give them to the model in the prompt rather than lose them.
      return options.sessionHoldsHistory || conversation.earlier.length === 0
        ? conversation.prompt
        : foldIntoPrompt(conversation, foldSystem);
    case "input":
    case "none":
      return conversation.prompt;
  }
}

/**
 * The answer so far in one output item (`data` of a Gradio data event: one value per output
 * component), or undefined when the item has none (e.g. a non-text placeholder).
 */
export function readAnswer(output: GradioUpstream["output"], data: unknown): string | undefined {
  const value = Array.isArray(data) ? data[output.index] : undefined;
  return output.kind === "text" ? asText(value) : lastAssistantText(value);
}

function asText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) {
    // Gradio 5+ message content: a list of parts, text ones among them.
    const parts = value.map(asText).filter((p): p is string => p !== undefined);
    return parts.length > 0 ? parts.join("") : undefined;
  }
  if (value && typeof value === "object") {
    const v = value as { text?: unknown; type?: unknown; content?: unknown };
    if (typeof v.text === "string") return v.text;
    if (v.content !== undefined) return asText(v.content);
  }
  return undefined;
}

/** A chatbot value: [user, assistant] pairs (Gradio 3/4 tuples) or {role, content} messages. */
function lastAssistantText(value: unknown): string | undefined {
  if (!Array.isArray(value)) return undefined;
  const last: unknown = value.at(-1);
  if (last === undefined) return "";
  if (Array.isArray(last)) return asText(last[1]) ?? "";
  // Messages: every assistant message after the last user message (a streamed answer may come as
  // several, e.g. a "thinking" message then the answer).
  const answer: string[] = [];
  for (let i = value.length - 1; i >= 0; i--) {
    const message = value[i] as { role?: unknown; content?: unknown } | null;
    if (message?.role === "user") break;
    if (message?.role === "assistant") answer.unshift(asText(message.content) ?? "");
  }
  if (answer.length > 0 || (value.at(-1) as { role?: unknown } | null)?.role === "user") return answer.join("\n\n");
  return undefined;
}
