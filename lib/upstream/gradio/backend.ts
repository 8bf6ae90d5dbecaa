import "server-only";
import type { StatusMessage } from "@gradio/client";
import type { GradioUpstream } from "../../registry/schema";
import type { StatusEvent } from "../../stream/events";
import type { BackendEvent, BackendRequest, ChatBackend } from "../backend";
import { Channel } from "../channel";
import { earlierUserTurns } from "../conversation";
import { CumulativeText } from "../cumulative";
import { Deadlines, until } from "../deadlines";
import { ChatError } from "../errors";
import { buildCallData, readAnswer, type CallData } from "./adapter";
import { classifyJobError, classifySpaceStatus, classifySubmitError, wakingMessage } from "./classify";
import { abandonConnect, connectSpace, forgetSpace, isConnected, type ConnectResult } from "./client-cache";
import type { GradioConnection } from "./connection";
import { newSessionHash } from "./session-hash";
import { SessionPool, type SessionLease } from "./sessions";

/**
 * The Gradio backend: one chat request = one job on a Space, through @gradio/client.
 *
 * - The Space's client is connected once and cached (client-cache.ts); the job runs on a
 *   `session()` of it: the conversation's session for Spaces that keep history in session state,
 *   a new one per request otherwise. A session per job means Gradio's cancel (which is scoped to a
 *   session and endpoint) and the per-session queue stream touch this job and nothing else.
 * - Status events are asked for (`events: ["data", "status"]`): without them an upstream error
 *   looks like an empty success.
 * - Every output item holds the whole answer so far; CumulativeText turns it into deltas.
 * - Stop (the request's signal) and our deadlines cancel the job on the Space (/cancel), then
 *   close its queue stream.
 */

/** How long a Stop may wait for the Space to confirm the cancel before we just hang up. */
const CANCEL_WAIT_MS = 5_000;
/**
 * Gradio reports "position 0" for every job, also one that starts at once. Such a status is held
 * this long and dropped if the job starts meanwhile, so an idle Space shows no queue flash.
 */
const NEXT_IN_LINE_NOTICE_MS = 250;
/** After a completed job, how long Gradio has to close the session's stream before we do. */
const STREAM_CLOSE_GRACE_MS = 2_000;

const sessions = new SessionPool();

export const gradioBackend: ChatBackend = {
  stream(request, signal) {
    const consumerGone = new AbortController();
    const out = new Channel<BackendEvent>(() => consumerGone.abort(new DOMException("consumer stopped", "AbortError")));
    runRequest(request, AbortSignal.any([signal, consumerGone.signal]), out).then(
      () => out.end(),
      (error: unknown) => out.fail(error),
    );
    return out;
  },
};

async function runRequest(request: BackendRequest, cancel: AbortSignal, out: Channel<BackendEvent>): Promise<void> {
  const { model, limits } = request;
  const upstream = model.upstream as GradioUpstream;
  const deadlines = new Deadlines();
  deadlines.arm("total_timeout", limits.totalMs);
  const stop = AbortSignal.any([cancel, deadlines.signal]);
  const status = (data: StatusEvent) => out.push({ type: "status", data });

  let lease: SessionLease | undefined;
  let completed = false;
  try {
    let connected = await connect(upstream.space, request, deadlines, stop, status);
    lease = await leaseSession(upstream, request, stop);
    const data = buildCallData(upstream, request.conversation, request.settings, {
      sessionHoldsHistory: lease.continued,
    });
    for (let attempt = 1; ; attempt++) {
      const job = new GradioJob(connected.client, lease.sessionHash, upstream, request, deadlines, stop, out);
      try {
        completed = await job.run(data);
        return;
      } catch (error) {
        const code = error instanceof ChatError ? error.code : undefined;
        // A dead cached client: the Space went away (or restarted) since we connected.
        if (code === "upstream_unreachable" || code === "connection_lost") forgetSpace(upstream.space, connected.client);
        // Retry once, with a fresh connect, when the Space never saw the job.
        if (attempt === 1 && code === "upstream_unreachable" && !connected.fresh && !stop.aborted) {
          connected = await connect(upstream.space, request, deadlines, stop, status);
          continue;
        }
        throw error;
      }
    }
  } catch (error) {
    if (stop.aborted && error === stop.reason) {
      // A deadline is an error; the user's Stop is a normal end.
      if (deadlines.signal.aborted) throw deadlines.signal.reason;
      return;
    }
    throw error;
  } finally {
    deadlines.clear();
    lease?.release(completed);
  }
}

/** The Space's client: cached, or connected now under the connect (or wake) deadline. */
async function connect(
  space: string,
  request: BackendRequest,
  deadlines: Deadlines,
  stop: AbortSignal,
  status: (data: StatusEvent) => void,
): Promise<ConnectResult> {
  if (isConnected(space)) return connectSpace(space);
  status({ stage: "connecting" });
  const { limits } = request;
  deadlines.arm("connect_timeout", limits.connectMs);
  let lastMessage: string | undefined;
  let failure: ChatError | undefined;
  const onStatus: Parameters<typeof connectSpace>[1] = (spaceStatus) => {
    failure ??= classifySpaceStatus(spaceStatus);
    const message = wakingMessage(spaceStatus);
    if (!message || message === lastMessage) return;
    // The Space is starting: that takes longer than a connect, so wait up to the wake limit.
    if (lastMessage === undefined) deadlines.arm("connect_timeout", limits.wakeMs);
    lastMessage = message;
    status({ stage: "waking", message });
  };
  try {
    return await until(connectSpace(space, onStatus), stop);
  } catch (error) {
    if (error !== stop.reason) throw failure ?? error;
    if (deadlines.signal.aborted) abandonConnect(space);
    throw error;
  } finally {
    deadlines.disarm("connect_timeout");
  }
}

/** The upstream session this request's job runs in. */
async function leaseSession(upstream: GradioUpstream, request: BackendRequest, stop: AbortSignal): Promise<SessionLease> {
  const { conversationId, conversation, limits } = request;
  if (upstream.history !== "session" || !conversationId) {
    return { sessionHash: newSessionHash(), continued: false, release: () => undefined };
  }
  const key = `${upstream.space}\n${upstream.endpoint}\n${conversationId}`;
  return sessions.lease(
    key,
    earlierUserTurns(conversation),
    { max: limits.sessionMax, ttlMs: limits.sessionTtlMs },
    stop,
  );
}

type Job = ReturnType<GradioConnection["submit"]>;
type GradioEvent = Extract<Awaited<ReturnType<Job["next"]>>, { done?: false }>["value"];

/** One submit on one session: its events in, our events out. */
class GradioJob {
  private readonly view: GradioConnection;
  private readonly text = new CumulativeText();
  private accepted = false;
  private generating = false;
  private job: Job | undefined;
  private heldNotice: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly client: GradioConnection,
    sessionHash: string,
    private readonly upstream: GradioUpstream,
    private readonly request: BackendRequest,
    private readonly deadlines: Deadlines,
    private readonly stop: AbortSignal,
    private readonly out: Channel<BackendEvent>,
  ) {
    this.view = client.session(sessionHash);
  }

  /** Resolves true when the answer is complete; rejects with a ChatError or the stop reason. */
  async run(data: CallData): Promise<boolean> {
    let completed = false;
    try {
      try {
        this.job = this.view.submit(this.upstream.endpoint, data);
      } catch (error) {
        // The call does not fit the API the client has cached: refresh it next time.
        forgetSpace(this.upstream.space, this.client);
        throw classifySubmitError(error);
      }
      if (this.upstream.streaming) this.deadlines.arm("first_token_timeout", this.request.limits.firstTokenMs);
      for (;;) {
        const next = await until(this.job.next(), this.stop);
        if (next.done) {
          // The client closes the job only after `complete` or `error`, both handled below.
          throw new ChatError("connection_lost", { detail: "job iterator ended without complete or error" });
        }
        if (this.handle(next.value)) return (completed = true);
      }
    } catch (error) {
      if (this.stop.aborted && error === this.stop.reason) await this.cancel();
      throw error;
    } finally {
      clearTimeout(this.heldNotice);
      this.deadlines.disarm("first_token_timeout");
      if (completed) this.view.closeStreamsAfter(STREAM_CLOSE_GRACE_MS);
      else this.view.closeStreams();
    }
  }

  /** True when the job is complete. */
  private handle(event: GradioEvent): boolean {
    if (event.type === "data") {
      this.accepted = true;
      const answer = readAnswer(this.upstream.output, event.data);
      const delta = answer === undefined ? undefined : this.text.next(answer);
      if (delta) {
        this.announceGenerating();
        this.deadlines.disarm("first_token_timeout");
        this.out.push({ type: "delta", data: delta });
      }
      return false;
    }
    if (event.type !== "status") return false;
    return this.onStatus(event);
  }

  private onStatus(status: StatusMessage): boolean {
    switch (status.stage) {
      case "pending":
        if (status.original_msg === "process_starts") {
          // Out of the queue and running: the first-token clock starts now.
          this.accepted = true;
          this.announceGenerating();
          if (this.upstream.streaming) this.deadlines.arm("first_token_timeout", this.request.limits.firstTokenMs);
        } else if (typeof status.position === "number") {
          // Waiting in the Space's queue: only the total deadline applies meanwhile.
          this.accepted = true;
          this.deadlines.disarm("first_token_timeout");
          this.notifyQueued(queuedStatus(status));
        }
        return false;
      case "generating":
      case "streaming":
        this.accepted = true;
        this.announceGenerating();
        return false;
      case "complete":
        return true;
      case "error":
        throw classifyJobError(status, { accepted: this.accepted });
    }
  }

  private notifyQueued(status: StatusEvent): void {
    clearTimeout(this.heldNotice);
    if (status.position !== 0) return this.out.push({ type: "status", data: status });
    this.heldNotice = setTimeout(() => {
      if (!this.generating) this.out.push({ type: "status", data: status });
    }, NEXT_IN_LINE_NOTICE_MS);
  }

  private announceGenerating(): void {
    clearTimeout(this.heldNotice);
    if (this.generating) return;
    this.generating = true;
    this.out.push({ type: "status", data: { stage: "generating" } });
  }

  /**
   * Stops the job on the Space: Gradio's /cancel closes the app's generator and frees the queue
   * slot. Bounded in time: the user's Stop must not hang on a Space that no longer answers.
   */
  private async cancel(): Promise<void> {
    const job = this.job;
    if (!job) return;
    try {
      // The job may not have an id yet (its join request is in flight): wait for it, or the
      // Space would run it for nobody.
      const eventId = job.event_id() || (await until(job.wait_for_id(), AbortSignal.timeout(CANCEL_WAIT_MS)));
      if (!eventId) return;
      // Gradio confirms a cancel with an empty completion that the stock handler trips over
      // (it then closes the session's stream). Nobody listens any more: swallow it.
      this.view.event_callbacks[eventId] = async () => undefined;
      await until(job.cancel(), AbortSignal.timeout(CANCEL_WAIT_MS));
    } catch {
      // The Space is gone or slow; closing the stream (finally, in run) still ends our side.
    } finally {
      void job.return();
    }
  }
}

function queuedStatus(status: StatusMessage): StatusEvent {
  const event: StatusEvent = { stage: "queued" };
  if (typeof status.position === "number" && status.position >= 0) event.position = Math.floor(status.position);
  if (typeof status.size === "number" && status.size >= 0) event.queueSize = Math.floor(status.size);
  if (typeof status.eta === "number" && Number.isFinite(status.eta) && status.eta >= 0) event.etaSeconds = status.eta;
  return event;
}

/** Test hook: the conversation sessions this process remembers. */
export function gradioSessionCountForTests(): number {
  return sessions.size;
}
