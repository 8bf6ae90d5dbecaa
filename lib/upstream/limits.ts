import { z } from "zod";

/**
 * Upstream time limits and session bounds, from the environment with defaults. Parsed on each
 * call (a few fields; microseconds) so an operator's restart or a test's env change applies.
 *
 * - connect: reach the Space and read its config and API (paid once per Space, then cached).
 * - wake: how long a sleeping or building Space may take to start once it says it is waking.
 * - first token: from the moment the Space starts our job (or from the submit, when it never
 *   says) to the first text. Time spent waiting in the Space's queue is not counted here, only
 *   in the total. Streaming endpoints only: a non-streamed result has no first token.
 * - total: the whole request, kept under the route's maxDuration (300 s) so that our own error
 *   event is sent before a platform cuts the connection.
 */
const ms = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const LimitsSchema = z.object({
  UPSTREAM_CONNECT_TIMEOUT_MS: ms(20_000),
  UPSTREAM_WAKE_TIMEOUT_MS: ms(240_000),
  UPSTREAM_FIRST_TOKEN_TIMEOUT_MS: ms(90_000),
  UPSTREAM_TOTAL_TIMEOUT_MS: ms(285_000),
  /** Conversations whose upstream session (gr.ChatInterface state) we remember. */
  GRADIO_SESSION_MAX: ms(1_000),
  /** A remembered session unused this long is forgotten. */
  GRADIO_SESSION_TTL_MS: ms(30 * 60_000),
});

export type Limits = {
  connectMs: number;
  wakeMs: number;
  firstTokenMs: number;
  totalMs: number;
  sessionMax: number;
  sessionTtlMs: number;
};

export function readLimits(env: Record<string, string | undefined> = process.env): Limits {
  const pick = (name: keyof z.input<typeof LimitsSchema>) => env[name] || undefined;
  const parsed = LimitsSchema.safeParse({
    UPSTREAM_CONNECT_TIMEOUT_MS: pick("UPSTREAM_CONNECT_TIMEOUT_MS"),
    UPSTREAM_WAKE_TIMEOUT_MS: pick("UPSTREAM_WAKE_TIMEOUT_MS"),
    UPSTREAM_FIRST_TOKEN_TIMEOUT_MS: pick("UPSTREAM_FIRST_TOKEN_TIMEOUT_MS"),
    UPSTREAM_TOTAL_TIMEOUT_MS: pick("UPSTREAM_TOTAL_TIMEOUT_MS"),
    GRADIO_SESSION_MAX: pick("GRADIO_SESSION_MAX"),
    GRADIO_SESSION_TTL_MS: pick("GRADIO_SESSION_TTL_MS"),
  });
  if (!parsed.success) {
    throw new Error(
      `Invalid upstream limits: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  }
  const e = parsed.data;
  return {
    connectMs: e.UPSTREAM_CONNECT_TIMEOUT_MS,
    wakeMs: e.UPSTREAM_WAKE_TIMEOUT_MS,
    firstTokenMs: e.UPSTREAM_FIRST_TOKEN_TIMEOUT_MS,
    totalMs: e.UPSTREAM_TOTAL_TIMEOUT_MS,
    sessionMax: e.GRADIO_SESSION_MAX,
    sessionTtlMs: e.GRADIO_SESSION_TTL_MS,
  };
}
