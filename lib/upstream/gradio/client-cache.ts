import "server-only";
import type { SpaceStatus } from "@gradio/client";
import { ChatError } from "../errors";
import { readHfToken } from "../token";
import { classifyConnectError } from "./classify";
import { GradioConnection } from "./connection";

/**
 * One connected client per Space for the whole server process, as the seed scripts cached one
 * per process: connecting (app config, API info, and for `owner/name` ids the hub lookup and
 * wake-up) is paid once, not per message. Jobs never run on these clients directly; each job
 * runs on a `session()` of one (see backend.ts), so nothing a job does can break the cached one.
 *
 * A client that fails at the connection level is dropped (`forgetSpace`) and the next request
 * connects afresh. A connect that fails is not cached either.
 */
type Entry = {
  client?: GradioConnection;
  pending?: Promise<GradioConnection>;
  listeners: Set<(status: SpaceStatus) => void>;
  lastStatus?: SpaceStatus;
};

const entries = new Map<string, Entry>();

export type ConnectResult = {
  client: GradioConnection;
  /** True when this call had to wait for a connect (no ready client was cached). */
  fresh: boolean;
};

/**
 * The Space's cached client, connecting if there is none. `onStatus` hears the Space's status
 * (sleeping, building...) while this call waits for a connect in progress.
 */
export function connectSpace(space: string, onStatus?: (status: SpaceStatus) => void): Promise<ConnectResult> {
  let entry = entries.get(space);
  if (entry?.client) return Promise.resolve({ client: entry.client, fresh: false });
  if (!entry) {
    entry = startConnect(space);
    entries.set(space, entry);
  }
  const listening = entry;
  if (onStatus) {
    listening.listeners.add(onStatus);
    if (listening.lastStatus) onStatus(listening.lastStatus);
  }
  const pending = listening.pending as Promise<GradioConnection>;
  return pending.then(
    (client) => {
      if (onStatus) listening.listeners.delete(onStatus);
      return { client, fresh: true };
    },
    (error: unknown) => {
      if (onStatus) listening.listeners.delete(onStatus);
      throw error;
    },
  );
}

function startConnect(space: string): Entry {
  const token = readHfToken();
  const entry: Entry = { listeners: new Set() };
  // Client.connect builds `new this(...)`, so this is a GradioConnection; its type says Client.
  const connecting = GradioConnection.connect(space, {
    events: ["data", "status"],
    ...(token ? { token } : {}),
    status_callback: (status) => {
      entry.lastStatus = status;
      for (const listener of entry.listeners) listener(status);
    },
  }) as Promise<GradioConnection>;
  const pending = connecting
    .then((client) => {
      checkConnected(client, entry.lastStatus);
      entry.client = client;
      entry.pending = undefined;
      return client;
    })
    .catch((error: unknown) => {
      if (entries.get(space) === entry) entries.delete(space);
      throw classifyConnectError(error, token !== undefined, entry.lastStatus);
    });
  // Waiters attach their own handlers; this one keeps an abandoned connect from being unhandled.
  pending.catch(() => undefined);
  entry.pending = pending;
  return entry;
}

/**
 * Client.connect can resolve without a usable client: for a hub Space whose config fetch failed
 * it only starts polling the Space's status, and a failed /info is only logged. And client 2.x
 * cannot talk to Gradio 3.x apps (websocket protocol; their config names no protocol).
 */
export function checkConnected(
  client: Pick<GradioConnection, "config" | "api_info">,
  lastStatus: SpaceStatus | undefined,
): void {
  const config = client.config;
  if (!config) {
    throw classifyConnectError(new Error("Could not resolve app config."), false, lastStatus);
  }
  if (config.protocol === "ws" || !config.protocol) {
    throw new ChatError("upstream_error", {
      message: "The model's Space runs Gradio 3.x or older, which this server cannot talk to.",
      retryable: false,
      detail: `unsupported Gradio protocol ${String(config.protocol)} (version ${config.version})`,
    });
  }
  if (config.auth_required) {
    throw new ChatError("unauthorized", {
      message: "The model's Space asks for a login, which this server does not have.",
      detail: "config.auth_required",
    });
  }
  if (!client.api_info) {
    throw new ChatError("upstream_error", {
      message: "The model's Space does not describe its API, so it cannot be called.",
      retryable: false,
      detail: "no API info (the /info endpoint failed)",
    });
  }
}

/**
 * Drops the Space's cached client if it is still `client` (a newer one is left alone) and
 * closes whatever streams it still holds.
 */
export function forgetSpace(space: string, client: GradioConnection): void {
  const entry = entries.get(space);
  if (entry?.client === client) entries.delete(space);
  client.closeStreams();
}

/** Gives up on a connect in progress (its deadline passed): the next request starts a new one. */
export function abandonConnect(space: string): void {
  const entry = entries.get(space);
  if (entry && !entry.client) entries.delete(space);
}

/** Whether a ready client is cached for the Space (no connect needed). */
export function isConnected(space: string): boolean {
  return entries.get(space)?.client !== undefined;
}

/** Test hook: forget every cached client, closing their streams. */
export function resetGradioClientsForTests(): void {
  for (const entry of entries.values()) entry.client?.closeStreams();
  entries.clear();
}
