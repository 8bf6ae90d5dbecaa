import "server-only";
import { Client } from "@gradio/client";
import { sseMessages } from "../../stream/sse";

/**
 * @gradio/client's Client, made fit for a long-running server:
 *
 * - No heartbeat stream. The client opens one per session for apps with state and `close()`
 *   never stops it, so a client per request leaks a socket each time. Gradio keeps session
 *   state without it (it only uses the heartbeat to learn that a browser tab went away).
 * - Every SSE stream is tracked and can be closed (`closeStreams()`); the stock client keeps only
 *   the last stream's AbortController.
 * - A stream that ends without Gradio's `close_stream` message (the Space died or the network
 *   dropped) is reported as a broken connection instead of leaving its jobs waiting forever.
 * - `session(hash)` makes a client that shares this one's config and API info but has its own
 *   session: its own queue stream, its own state on the Space, and its own cancel scope (Gradio
 *   cancels by session and endpoint). Creating one costs no network round trip.
 */
export class GradioConnection extends Client {
  private readonly openStreams = new Set<AbortController>();

  override stream(url: URL): EventSource {
    if (url.pathname.includes("/heartbeat/")) return closedEventSource(url);
    const controller = new AbortController();
    // The stock client aborts `abort_controller` when Gradio says close_stream.
    this.abort_controller = controller;
    this.openStreams.add(controller);
    const headers = new Headers();
    if (this.options.headers) new Headers(this.options.headers).forEach((value, name) => headers.append(name, value));
    if (this.options.token) headers.append("Authorization", `Bearer ${this.options.token}`);
    const source = sseSource(url, headers, controller, () => {
      this.openStreams.delete(controller);
      // A stream that ended for any reason is no longer there for the next job to share.
      if (this.openStreams.size === 0) this.stream_status.open = false;
    });
    this.stream_instance = source;
    return source;
  }

  /**
   * After a job that ended normally Gradio closes the session's stream itself (close_stream once
   * the session has no job left), and a stream closed by the server leaves its socket reusable.
   * Whatever is still open after `graceMs` is closed.
   */
  closeStreamsAfter(graceMs: number): void {
    if (this.openStreams.size === 0) return;
    setTimeout(() => this.closeStreams(), graceMs).unref();
  }

  closeStreams(): void {
    for (const controller of this.openStreams) controller.abort();
    this.openStreams.clear();
    this.stream_status.open = false;
  }

  session(sessionHash: string): GradioConnection {
    if (!this.config || !this.api_info) throw new Error("session() needs a connected client");
    const view = new GradioConnection(this.app_reference, { ...this.options, status_callback: null });
    view.config = this.config;
    view.api_info = this.api_info;
    view.api_map = this.api_map;
    view.api_prefix = this.api_prefix;
    view.jwt = this.jwt;
    view.session_hash = sessionHash;
    return view;
  }
}

type SourceShape = {
  onmessage: ((event: { data: string }) => unknown) | null;
  onerror: ((error: unknown) => unknown) | null;
  onopen: null;
  readyState: number;
  url: string;
  withCredentials: boolean;
  CONNECTING: 0;
  OPEN: 1;
  CLOSED: 2;
  close(): void;
  addEventListener(): void;
  removeEventListener(): void;
  dispatchEvent(): boolean;
};

function baseSource(url: URL, close: () => void): SourceShape {
  return {
    onmessage: null,
    onerror: null,
    onopen: null,
    readyState: 0,
    url: url.toString(),
    withCredentials: false,
    CONNECTING: 0,
    OPEN: 1,
    CLOSED: 2,
    close,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
    dispatchEvent: () => false,
  };
}

function closedEventSource(url: URL): EventSource {
  const source = baseSource(url, () => undefined);
  source.readyState = source.CLOSED;
  return source as unknown as EventSource;
}

const CLOSE_STREAM = /"msg"\s*:\s*"close_stream"/;

function sseSource(url: URL, headers: Headers, controller: AbortController, onClosed: () => void): EventSource {
  const source = baseSource(url, () => controller.abort());
  const { signal } = controller;
  const deliver = (data: string) => {
    // The stock handler is async; a rejection in it must not become an unhandled rejection.
    Promise.resolve(source.onmessage?.({ data })).catch((error: unknown) => console.error("[gradio] stream handler failed", error));
  };
  const fail = (error: unknown) => {
    Promise.resolve(source.onerror?.(error)).catch(() => undefined);
  };

  void (async () => {
    let sawClose = false;
    try {
      headers.set("Accept", "text/event-stream");
      const response = await fetch(url, { headers, signal });
      if (!response.ok || !response.body) throw new Error(`queue stream answered HTTP ${response.status}`);
      source.readyState = source.OPEN;
      for await (const { data } of sseMessages(response.body)) {
        if (CLOSE_STREAM.test(data)) sawClose = true;
        deliver(data);
        if (signal.aborted) break;
      }
      if (!sawClose && !signal.aborted) throw new Error("the Space closed the queue stream before its jobs ended");
    } catch (error) {
      if (!signal.aborted) fail(error);
    } finally {
      source.readyState = source.CLOSED;
      onClosed();
    }
  })();
  return source as unknown as EventSource;
}
