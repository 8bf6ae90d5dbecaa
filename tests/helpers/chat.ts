/**
 * Helpers for the chat route's tests: a registry pointed at the local replicas, a way to call the
 * route (in-process or over HTTP) and read its events, and a look at open sockets.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { readChatEvents } from "@/lib/stream/decode";
import { applyDelta } from "@/lib/stream/delta";
import type { ChatEvent } from "@/lib/stream/events";
import type { Model, RegistryFile } from "@/lib/registry/schema";
import { resetRegistryCacheForTests } from "@/lib/registry/load";
import { resetGradioClientsForTests } from "@/lib/upstream/gradio/client-cache";
import { localRegistry } from "../../scripts/local-registry";
import type { ReplicaName } from "./replicas";

/** A registry model for the plain gr.ChatInterface replica: the generic session-history shape. */
const CHATINTERFACE_MODEL: Model = {
  id: "chatinterface-demo",
  name: "ChatInterface demo",
  tagline: "A plain Gradio ChatInterface (test entry).",
  sizeMB: 1,
  parameters: "n/a",
  specialization: "Testing",
  capabilities: ["Chat"],
  usageTips: ["Say anything."],
  memoryUseMB: 1,
  speed: "Instant",
  placeholder: "Say something",
  avatar: "/avatars/robot.svg",
  logo: "/logos/tinyllama.svg",
  minMemoryMB: 0,
  status: "active",
  settings: [],
  upstream: {
    type: "gradio",
    space: "http://127.0.0.1:7866",
    endpoint: "/chat",
    call: "positional",
    inputs: [{ from: "prompt", name: "message" }],
    history: "session",
    output: { kind: "text", index: 0 },
    streaming: true,
  },
};

/**
 * The shipped registry with every upstream pointed at a replica URL (models whose replica is not
 * in `urls` keep their upstream), plus the chatinterface entry. `spaceFor` overrides a model's
 * space (e.g. an unreachable port).
 */
export function testRegistry(
  urls: Partial<Record<ReplicaName, string>>,
  spaceFor: Record<string, string> = {},
): RegistryFile {
  const local = localRegistry(urls);
  const chatInterface = withSpace(CHATINTERFACE_MODEL, urls.chatinterface);
  const models = [...local.models, chatInterface].map((model) => withSpace(model, spaceFor[model.id]));
  return { ...local, models };
}

function withSpace(model: Model, space: string | undefined): Model {
  return space ? { ...model, upstream: { ...model.upstream, space } } : model;
}

/**
 * Writes a registry to a temp file and makes this process serve it: MODELS_REGISTRY, a size
 * limit that serves the legacy models, and fresh registry and client caches.
 */
export function serveRegistry(registry: RegistryFile, env: Record<string, string> = {}): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "chat-registry-")), "models.registry.json");
  writeFileSync(file, JSON.stringify(registry, null, 2));
  process.env.MODELS_REGISTRY = file;
  process.env.MODEL_SIZE_LIMIT_MB = "300000";
  Object.assign(process.env, env);
  resetRegistryCacheForTests();
  resetGradioClientsForTests();
  return file;
}

export type ChatBody = {
  model: string;
  messages: { role: "system" | "user" | "assistant"; content: string }[];
  params?: Record<string, number>;
  conversationId?: string;
};

export type CollectedChat = {
  events: ChatEvent[];
  /** The deltas applied in order: the answer as the browser would show it. */
  text: string;
  deltas: string[];
  statuses: Extract<ChatEvent, { event: "status" }>["data"][];
  last: ChatEvent | undefined;
};

export function chatRequest(body: unknown, init: { signal?: AbortSignal; url?: string } = {}): Request {
  return new Request(init.url ?? "http://localhost/api/chat", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
    signal: init.signal,
  });
}

/**
 * Reads a chat response's events. `onEvent` may return "stop" to abort the request there (the
 * Stop button); `abort` is that request's controller.
 */
export async function collect(
  response: Response,
  onEvent?: (event: ChatEvent, sofar: CollectedChat) => "stop" | void,
  abort?: AbortController,
): Promise<CollectedChat> {
  const out: CollectedChat = { events: [], text: "", deltas: [], statuses: [], last: undefined };
  if (!response.body) throw new Error(`no body (HTTP ${response.status})`);
  try {
    for await (const event of readChatEvents(response.body)) {
      out.events.push(event);
      out.last = event;
      if (event.event === "delta") {
        out.deltas.push(event.data.text);
        out.text = applyDelta(out.text, event.data);
      }
      if (event.event === "status") out.statuses.push(event.data);
      if (onEvent?.(event, out) === "stop") {
        abort?.abort();
        break;
      }
    }
  } catch (error) {
    if (!abort?.signal.aborted) throw error;
  }
  return out;
}

/** Client-side TCP connections of this machine to `port` that are open (ESTABLISHED or closing). */
export function openConnectionsTo(port: number): number {
  let count = 0;
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let table: string;
    try {
      table = readFileSync(file, "utf8");
    } catch {
      continue;
    }
    for (const line of table.split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 4) continue;
      const remotePort = parseInt(cols[2]!.split(":")[1] ?? "", 16);
      const state = cols[3];
      // 01 ESTABLISHED, 08 CLOSE_WAIT: a socket someone still holds open.
      if (remotePort === port && (state === "01" || state === "08")) count++;
    }
  }
  return count;
}

/** Polls until no connection to `port` is left (idle keep-alive sockets close in ~5 s). */
export async function waitForNoConnections(port: number, timeoutMs = 12_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let open = openConnectionsTo(port);
  while (open > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    open = openConnectionsTo(port);
  }
  return open;
}

export function portOf(url: string): number {
  return Number(new URL(url).port);
}
