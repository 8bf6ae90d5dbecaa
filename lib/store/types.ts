/** The persisted chat data: conversations per model, their messages, settings per model. */

export type Role = "user" | "assistant";

/**
 * An assistant message's life: `streaming` while it grows, then `done`, `stopped` (the user
 * pressed Stop), `error` (the server or the connection failed; the partial text stays), or
 * `interrupted` (the page closed mid-answer; found so on the next load).
 */
export type MessageStatus = "streaming" | "done" | "stopped" | "error" | "interrupted";

export type MessageError = { code: string; message: string; retryable: boolean };

export type AnswerStats = {
  /** From the request to the end of the answer, as the server measured it. */
  elapsedMs: number;
  chars: number;
  /** From sending to the first text, as this page saw it. */
  firstTokenMs?: number;
};

export type Message = {
  id: string;
  role: Role;
  content: string;
  createdAt: number;
  status?: MessageStatus;
  error?: MessageError;
  stats?: AnswerStats;
};

export type Conversation = {
  id: string;
  modelId: string;
  title: string;
  /** Empty means the model's own default. Only sent to models that take a system prompt. */
  systemPrompt: string;
  messages: Message[];
  createdAt: number;
  updatedAt: number;
};

export type ChatData = {
  conversations: Record<string, Conversation>;
  /** The conversation open on each model's page; absent means a new, empty chat. */
  activeByModel: Record<string, string>;
  /** Slider values per model, by setting key; absent keys take the registry default. */
  settingsByModel: Record<string, Record<string, number>>;
};
