import type { ErrorCode, ErrorEvent } from "../stream/events";

/**
 * Every error the chat route can answer with, in one place: the HTTP status it gets before the
 * stream starts, whether trying again may help, and a message fit to show a user. Upstream text
 * (stack traces, URLs, anything that may hold a secret) never goes in `message`; it goes in
 * `detail`, which is only logged.
 */
type ErrorSpec = { status: number; retryable: boolean; message: string };

export const ERRORS: Record<ErrorCode, ErrorSpec> = {
  bad_request: { status: 400, retryable: false, message: "The request is not valid." },
  payload_too_large: {
    status: 413,
    retryable: false,
    message: "The conversation is too long to send. Start a new conversation or shorten the message.",
  },
  model_not_found: { status: 404, retryable: false, message: "There is no model with this id." },
  model_not_served: { status: 403, retryable: false, message: "This deployment does not serve this model." },
  space_not_found: {
    status: 502,
    retryable: false,
    message:
      "The model's Space could not be found, or it is private. Check the Space name in the model " +
      "registry, and that this server's HF_TOKEN can read it.",
  },
  unauthorized: {
    status: 502,
    retryable: false,
    message: "The model's host rejected this server's Hugging Face token. Check HF_TOKEN.",
  },
  space_sleeping: {
    status: 503,
    retryable: true,
    message: "The model's Space is asleep or still starting. Try again in a minute.",
  },
  queue_full: { status: 503, retryable: true, message: "The model is busy right now. Try again in a moment." },
  app_error: { status: 502, retryable: true, message: "The model's app reported an error." },
  upstream_error: {
    status: 502,
    retryable: true,
    message: "The model's Space failed while answering. Try again.",
  },
  connection_lost: {
    status: 502,
    retryable: true,
    message: "The connection to the model was lost before the answer was finished.",
  },
  upstream_unreachable: {
    status: 502,
    retryable: true,
    message: "The model's Space cannot be reached right now. Check the connection and try again.",
  },
  connect_timeout: {
    status: 504,
    retryable: true,
    message: "The model's Space took too long to respond. Try again in a moment.",
  },
  first_token_timeout: {
    status: 504,
    retryable: true,
    message: "The model took too long to start answering, so the request was stopped.",
  },
  total_timeout: {
    status: 504,
    retryable: true,
    message: "The answer took too long and was stopped.",
  },
  internal: { status: 500, retryable: true, message: "Something went wrong on our side. Try again." },
};

export type ChatErrorOptions = {
  /** Replaces the code's standard user message (e.g. a gr.Error's own text, a 403's reason). */
  message?: string;
  /** Overrides the code's standard retryable flag. */
  retryable?: boolean;
  /** What happened, for the log only: may hold upstream text. */
  detail?: string;
  cause?: unknown;
};

export class ChatError extends Error {
  readonly userMessage: string;
  readonly retryable: boolean;
  readonly detail?: string;

  constructor(
    readonly code: ErrorCode,
    options: ChatErrorOptions = {},
  ) {
    const spec = ERRORS[code];
    super(options.detail ?? options.message ?? spec.message, { cause: options.cause });
    this.name = "ChatError";
    this.userMessage = options.message ?? spec.message;
    this.retryable = options.retryable ?? spec.retryable;
    this.detail = options.detail;
  }

  get status(): number {
    return ERRORS[this.code].status;
  }

  toEvent(): ErrorEvent {
    return { code: this.code, message: this.userMessage, retryable: this.retryable };
  }

  /** The JSON answer for errors found before the stream starts: `{error: {code, message}}`. */
  toResponse(): Response {
    return Response.json(
      { error: { code: this.code, message: this.userMessage, retryable: this.retryable } },
      { status: this.status, headers: { "Cache-Control": "no-store" } },
    );
  }
}

/** Anything thrown becomes a ChatError; an unknown throw is `internal`, its text kept for the log. */
export function toChatError(error: unknown): ChatError {
  if (error instanceof ChatError) return error;
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new ChatError("internal", { detail, cause: error });
}
