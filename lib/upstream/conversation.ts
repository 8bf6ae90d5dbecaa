/**
 * Our chat request's messages, split the way upstream call shapes need them: the system prompt,
 * the earlier turns, and the newest user message.
 */
export type ChatRole = "system" | "user" | "assistant";
export type ChatMessage = { role: ChatRole; content: string };
export type Turn = { role: "user" | "assistant"; content: string };

export type Conversation = {
  system?: string;
  /** Every user and assistant message before the newest user message, in order. */
  earlier: Turn[];
  prompt: string;
};

/** Expects the validated shape: at most a leading system message, ending with a user message. */
export function splitConversation(messages: ChatMessage[]): Conversation {
  const last = messages.at(-1);
  if (!last || last.role !== "user") throw new Error("a conversation ends with a user message");
  const system = messages.find((m) => m.role === "system")?.content;
  const earlier = messages
    .slice(0, -1)
    .filter((m): m is Turn => m.role === "user" || m.role === "assistant");
  return { system: system?.trim() ? system : undefined, earlier, prompt: last.content };
}

export function earlierUserTurns(conversation: Conversation): number {
  return conversation.earlier.filter((t) => t.role === "user").length;
}

/** Earlier turns as [user, assistant] pairs, the Gradio tuples-Chatbot format. */
export function toPairs(turns: Turn[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (const turn of turns) {
    const open = pairs.at(-1);
    if (turn.role === "user") pairs.push([turn.content, ""]);
    else if (open && open[1] === "") open[1] = turn.content;
    else pairs.push(["", turn.content]);
  }
  return pairs;
}

/**
 * The whole conversation as one prompt text, for upstreams that only take a prompt:
 * `system: ...` (if any), then `user: ...` / `assistant: ...` lines, ending with an `assistant:`
 * cue. A conversation with no earlier turns and no system prompt is just the message itself, as
 * the seed scripts sent it.
 */
export function foldIntoPrompt(conversation: Conversation, includeSystem = true): string {
  const system = includeSystem ? conversation.system : undefined;
  if (conversation.earlier.length === 0 && !system) return conversation.prompt;
  const lines: string[] = [];
  if (system) lines.push(`system: ${system}`);
  for (const turn of conversation.earlier) lines.push(`${turn.role}: ${turn.content}`);
  lines.push(`user: ${conversation.prompt}`, "assistant:");
  return lines.join("\n");
}
