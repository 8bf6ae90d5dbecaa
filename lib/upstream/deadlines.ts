import { ChatError } from "./errors";

export type TimeoutCode = "connect_timeout" | "first_token_timeout" | "total_timeout";

/**
 * Our own deadlines around calls that take none (@gradio/client's connect and submit accept no
 * AbortSignal). Each deadline, when it passes, aborts `signal` with a ChatError of its code; the
 * caller then cancels the upstream job.
 */
export class Deadlines {
  private readonly controller = new AbortController();
  private readonly timers = new Map<TimeoutCode, ReturnType<typeof setTimeout>>();
  readonly signal = this.controller.signal;

  /** Starts (or restarts) a deadline `ms` from now. */
  arm(code: TimeoutCode, ms: number): void {
    this.disarm(code);
    if (this.signal.aborted) return;
    const timer = setTimeout(() => {
      this.controller.abort(new ChatError(code, { detail: `${code}: no progress within ${ms} ms` }));
    }, ms);
    this.timers.set(code, timer);
  }

  disarm(code: TimeoutCode): void {
    const timer = this.timers.get(code);
    if (timer !== undefined) clearTimeout(timer);
    this.timers.delete(code);
  }

  clear(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}

/** Resolves like `promise`, or rejects with `signal.reason` as soon as the signal aborts. */
export function until<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
