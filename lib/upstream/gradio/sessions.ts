import { until } from "../deadlines";
import { newSessionHash } from "./session-hash";

/**
 * Which upstream Gradio session each conversation uses, for Spaces that keep the conversation in
 * their own session state (gr.ChatInterface): the same session for every turn, so turn N sees
 * turns 1..N-1.
 *
 * What is remembered per conversation is only a session id and how many turns that session has
 * seen: a few dozen bytes. The pool is bounded (least recently used entries go first beyond
 * `max`) and entries unused for `ttlMs` are forgotten, so memory cannot grow without limit.
 *
 * A lease is reused only when the upstream session has seen exactly the turns the request says
 * came before; otherwise (a new, edited, or forgotten conversation) the request gets a new
 * session and `continued: false`, and the caller must send the earlier turns some other way.
 * Requests of one conversation run one at a time: two jobs on one Gradio session would share its
 * queue stream and its cancel scope.
 */
export type SessionLease = {
  sessionHash: string;
  /** The upstream session already holds the request's earlier turns. */
  continued: boolean;
  /** Call once the job is over: `completed` = the session now holds this turn too. */
  release(completed: boolean): void;
};

type Entry = { sessionHash: string; turns: number; lastUsed: number };

export class SessionPool {
  private readonly entries = new Map<string, Entry>();
  private readonly locks = new Map<string, Promise<void>>();

  constructor(private readonly now: () => number = Date.now) {}

  get size(): number {
    return this.entries.size;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  async lease(
    key: string,
    earlierTurns: number,
    bounds: { max: number; ttlMs: number },
    signal?: AbortSignal,
  ): Promise<SessionLease> {
    const unlock = await this.lock(key, signal);
    this.sweep(bounds);
    const found = this.entries.get(key);
    const continued = found !== undefined && found.turns === earlierTurns;
    const sessionHash = continued ? found.sessionHash : newSessionHash();
    // Until the job completes, the session's history is uncertain: forget it meanwhile.
    this.entries.delete(key);
    let released = false;
    return {
      sessionHash,
      continued,
      release: (completed) => {
        if (released) return;
        released = true;
        if (completed) {
          this.entries.set(key, { sessionHash, turns: earlierTurns + 1, lastUsed: this.now() });
          this.sweep(bounds);
        }
        unlock();
      },
    };
  }

  /** Drops expired entries, then the least recently used beyond `max`. Map order is use order. */
  private sweep({ max, ttlMs }: { max: number; ttlMs: number }): void {
    const oldest = this.now() - ttlMs;
    for (const [key, entry] of this.entries) {
      if (entry.lastUsed > oldest && this.entries.size <= max) break;
      this.entries.delete(key);
    }
  }

  private async lock(key: string, signal?: AbortSignal): Promise<() => void> {
    const previous = this.locks.get(key) ?? Promise.resolve();
    let unlock!: () => void;
    const mine = new Promise<void>((resolve) => (unlock = resolve));
    const tail = previous.then(() => mine);
    this.locks.set(key, tail);
    void tail.then(() => {
      if (this.locks.get(key) === tail) this.locks.delete(key);
    });
    try {
      await (signal ? until(previous, signal) : previous);
    } catch (error) {
      // Gave up waiting: hand our turn on as soon as it comes.
      void previous.then(unlock);
      throw error;
    }
    return unlock;
  }
}
