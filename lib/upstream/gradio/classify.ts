import type { SpaceStatus, Status } from "@gradio/client";
import { ChatError } from "../errors";
import { redact } from "../log";

/**
 * Maps what @gradio/client reports (thrown errors, `error` status messages, Space statuses) onto
 * our error codes. Matching is on the client's own message constants (client 2.7.0, pinned).
 */
const QUEUE_FULL = "This application is currently busy.";
const BROKEN_CONNECTION = "Connection errored out.";
const GENERIC_APP_ERROR = new Set(["An error occurred", "An Unexpected Error Occurred!"]);
const MAX_APP_MESSAGE = 500;

/** Why Client.connect failed. `lastStatus` is what the Space status callback said last. */
export function classifyConnectError(error: unknown, hasToken: boolean, lastStatus?: SpaceStatus): ChatError {
  if (error instanceof ChatError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const detail = describe(error);
  const fromStatus = lastStatus ? classifySpaceStatus(lastStatus) : undefined;
  if (fromStatus) return fromStatus;

  const hubStatus = /received a (\d{3}) response from the Hugging Face API/.exec(message)?.[1];
  if (hubStatus === "401" && hasToken) return new ChatError("unauthorized", { detail });
  if (hubStatus) return new ChatError("space_not_found", { detail });

  if (
    message.startsWith("Could not access this app (received a 401") ||
    message.startsWith("Not authorized to access this space") ||
    message.startsWith("Invalid credentials") ||
    message.startsWith("Login credentials are required")
  ) {
    return new ChatError("unauthorized", { detail });
  }
  const configStatus = /received status (\d{3}) when fetching the app config/.exec(message)?.[1];
  if (configStatus === "404") return new ChatError("space_not_found", { detail });
  if (configStatus === "401" || configStatus === "403") return new ChatError("unauthorized", { detail });
  if (message.startsWith("Invalid URL")) return new ChatError("space_not_found", { detail });
  // "Space metadata could not be loaded." (the hub is unreachable), fetch failures, 5xx.
  return new ChatError("upstream_unreachable", { detail });
}

/** A Space status that ends the attempt, or undefined while it is fine or still starting. */
export function classifySpaceStatus(status: SpaceStatus): ChatError | undefined {
  const detail = `space status ${status.status}/${status.detail}: ${status.message}`;
  switch (status.status) {
    case "paused":
      return new ChatError("space_sleeping", {
        message: "The model's Space has been paused by its owner, so it cannot answer.",
        retryable: false,
        detail,
      });
    case "space_error":
      return new ChatError("upstream_error", {
        message: "The model's Space is failing to start (a build or runtime error on its side).",
        retryable: false,
        detail,
      });
    default:
      // "error"/NOT_FOUND is also what the client reports for any failed config fetch (a refused
      // connection included): the thrown error says more.
      return undefined;
  }
}

/** A Space status worth telling the user while they wait, as our `waking` status message. */
export function wakingMessage(status: SpaceStatus): string | undefined {
  switch (status.status) {
    case "sleeping":
      return "The model's Space is asleep; waking it up.";
    case "building":
      return "The model's Space is being built; it will answer once it is up.";
    case "starting":
      return "The model's Space is starting.";
    default:
      return undefined;
  }
}

export type JobProgress = {
  /** Gradio's queue said anything about the job (it was accepted). */
  accepted: boolean;
};

/** Why a Gradio job ended in stage `error`. */
export function classifyJobError(status: Status, progress: JobProgress): ChatError {
  const text = statusText(status.message);
  const detail = `gradio error: ${JSON.stringify({ message: text, code: status.code, title: status.title, broken: status.broken })}`;
  if (text?.startsWith(QUEUE_FULL)) return new ChatError("queue_full", { detail });
  if (status.broken || text?.startsWith(BROKEN_CONNECTION)) {
    return new ChatError(progress.accepted ? "connection_lost" : "upstream_unreachable", { detail });
  }
  if (status.code === "validation_error") {
    return new ChatError("upstream_error", {
      message: "The model's Space rejected the request; its API may have changed since the registry was written.",
      retryable: false,
      detail,
    });
  }
  if (status.session_not_found || !text || GENERIC_APP_ERROR.has(text)) return new ChatError("upstream_error", { detail });
  // A completed-with-error message (it has a title): the app raised it. gr.Error texts are meant
  // for users; still, mask anything secret-looking and keep it short.
  if (status.title !== undefined) {
    return new ChatError("app_error", { message: clip(redact(text)), detail });
  }
  return new ChatError("upstream_error", { detail });
}

/** The client throws synchronously from submit() when our call does not fit the Space's API. */
export function classifySubmitError(error: unknown): ChatError {
  return new ChatError("upstream_error", {
    message: "The model's Space does not offer the API the registry describes. An operator must fix the registry entry.",
    retryable: false,
    detail: describe(error),
    cause: error,
  });
}

function statusText(message: Status["message"]): string | undefined {
  if (message === undefined || message === null) return undefined;
  if (typeof message === "string") return message;
  return message.map((m) => m.message).join("; ");
}

function clip(text: string): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length <= MAX_APP_MESSAGE ? oneLine : `${oneLine.slice(0, MAX_APP_MESSAGE - 1)}…`;
}

export function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (cause: ${error.cause.message})` : "";
  return `${error.name}: ${error.message}${cause}`;
}
