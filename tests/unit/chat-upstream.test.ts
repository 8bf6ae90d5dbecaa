/**
 * The chat route's pure parts: cumulative-to-delta diffing, the call-shape adapter, the
 * conversation session pool, error classification, secret masking, limits and SSE encoding.
 */
import { describe, expect, it } from "vitest";
import { resolveSettings } from "@/lib/chat/schema";
import { loadRegistryFile } from "@/lib/registry/load";
import type { GradioUpstream } from "@/lib/registry/schema";
import { encodeEvent, KEEP_ALIVE } from "@/lib/stream/encode";
import { toChatEvent } from "@/lib/stream/decode";
import { SSEParser } from "@/lib/stream/sse";
import type { ChatEvent } from "@/lib/stream/events";
import { foldIntoPrompt, splitConversation, toPairs } from "@/lib/upstream/conversation";
import { applyDelta } from "@/lib/stream/delta";
import { CumulativeText } from "@/lib/upstream/cumulative";
import { Deadlines, until } from "@/lib/upstream/deadlines";
import { ChatError } from "@/lib/upstream/errors";
import { readLimits } from "@/lib/upstream/limits";
import { redact } from "@/lib/upstream/log";
import { buildCallData, readAnswer } from "@/lib/upstream/gradio/adapter";
import { classifyConnectError, classifyJobError, classifySpaceStatus } from "@/lib/upstream/gradio/classify";
import { checkConnected } from "@/lib/upstream/gradio/client-cache";
import { SessionPool } from "@/lib/upstream/gradio/sessions";

const registry = loadRegistryFile("models.registry.json", 300_000);
const upstreamOf = (id: string) => registry.models.find((m) => m.id === id)!.upstream as GradioUpstream;

describe("CumulativeText", () => {
  it("sends only the new text, and nothing for the final value that arrives twice", () => {
    const diff = new CumulativeText();
    const outputs = ["Hel", "Hello", "Hello, wor", "Hello, world", "Hello, world"];
    const deltas = outputs.map((o) => diff.next(o));
    expect(deltas).toEqual([{ text: "Hel" }, { text: "lo" }, { text: ", wor" }, { text: "ld" }, undefined]);
  });

  it("treats an output that does not extend the text as a replacement, sending no text twice", () => {
    const diff = new CumulativeText();
    let shown = "";
    const sentChars: number[] = [];
    // A Space that streams with a cursor and drops it at the end, then rewrites a word.
    for (const output of ["Hel▌", "Hello▌", "Hello wor▌", "Hello world", "Hello World!"]) {
      const delta = diff.next(output);
      if (!delta) continue;
      sentChars.push(delta.text.length);
      shown = applyDelta(shown, delta);
      expect(shown).toBe(output);
    }
    expect(diff.next("Hello World!")).toBeUndefined();
    // Each replacement resent only what changed after the common prefix.
    expect(sentChars).toEqual([4, 3, 5, 2, 6]);
  });

  it("handles a shrinking output and never splits a surrogate pair", () => {
    const diff = new CumulativeText();
    diff.next("ok 😀 fine");
    expect(diff.next("ok 😀")).toEqual({ text: "", from: 5 });
    const d = diff.next("ok 😁")!; // same high surrogate, different low one
    expect(d.from).toBe(3);
    expect(applyDelta("ok 😀", d)).toBe("ok 😁");
  });
});

describe("conversation", () => {
  const conversation = splitConversation([
    { role: "system", content: "Be brief." },
    { role: "user", content: "Q1" },
    { role: "assistant", content: "A1" },
    { role: "user", content: "Q2" },
  ]);

  it("splits system, earlier turns and the newest message", () => {
    expect(conversation).toEqual({
      system: "Be brief.",
      earlier: [
        { role: "user", content: "Q1" },
        { role: "assistant", content: "A1" },
      ],
      prompt: "Q2",
    });
  });

  it("pairs turns, tolerating a missing answer", () => {
    expect(toPairs([{ role: "user", content: "a" }, { role: "user", content: "b" }, { role: "assistant", content: "B" }])).toEqual([
      ["a", ""],
      ["b", "B"],
    ]);
  });

  it("folds a conversation into one prompt, and leaves a lone message as it is", () => {
    expect(foldIntoPrompt(conversation)).toBe("system: Be brief.\nuser: Q1\nassistant: A1\nuser: Q2\nassistant:");
    expect(foldIntoPrompt(conversation, false)).toBe("user: Q1\nassistant: A1\nuser: Q2\nassistant:");
    expect(foldIntoPrompt({ earlier: [], prompt: "just this" })).toBe("just this");
  });
});

describe("the adapter maps our request onto each call shape", () => {
  const conversation = splitConversation([
    { role: "user", content: "Q1" },
    { role: "assistant", content: "A1" },
    { role: "user", content: "Q2" },
  ]);

  it("qwen: named, history as pairs, the system default", () => {
    expect(buildCallData(upstreamOf("qwen1.5-110b-chat"), conversation, {}, { sessionHoldsHistory: false })).toEqual({
      query: "Q2",
      history: [["Q1", "A1"]],
      system: "You are a helpful assistant.",
    });
  });

  it("phi3: positional, with the constant in its place; the session holds the history", () => {
    const settings = { temperature: 0.2, max_new_tokens: 300 };
    expect(buildCallData(upstreamOf("phi-3-mini-128k-instruct"), conversation, settings, { sessionHoldsHistory: true })).toEqual([
      "Q2",
      0.2,
      true,
      300,
    ]);
  });

  it("openelm: named with the API's own odd names", () => {
    const settings = { max_new_tokens: 10, temperature: 1, top_p: 0.5, top_k: 3, repetition_penalty: 1.2 };
    expect(buildCallData(upstreamOf("openelm-3b"), conversation, settings, { sessionHoldsHistory: true })).toEqual({
      message: "Q2",
      request: 10,
      param_3: 1,
      param_4: 0.5,
      param_5: 3,
      param_6: 1.2,
    });
  });

  it("session history not held upstream, or a prompt-only API: the turns are folded into the prompt", () => {
    const settings = { max_new_tokens: 250, temperature: 0.7, top_p: 0.9 };
    const [prompt] = buildCallData(upstreamOf("tinyllama-1.1b-chat"), conversation, settings, { sessionHoldsHistory: false }) as unknown[];
    expect(prompt).toBe("user: Q1\nassistant: A1\nuser: Q2\nassistant:");
    const [codePrompt] = buildCallData(upstreamOf("codet5-small"), conversation, { max_length: 150, temperature: 0.1 }, { sessionHoldsHistory: true }) as unknown[];
    expect(codePrompt).toBe("user: Q1\nassistant: A1\nuser: Q2\nassistant:");
  });

  it("reads text outputs, tuple chatbots and message chatbots", () => {
    expect(readAnswer({ kind: "text", index: 0 }, ["so far"])).toBe("so far");
    expect(readAnswer({ kind: "text", index: 0 }, [null])).toBeUndefined();
    expect(readAnswer({ kind: "chatbot", index: 1 }, ["", [["q0", "a0"], ["q", "partial"]], "sys"])).toBe("partial");
    expect(readAnswer({ kind: "chatbot", index: 1 }, ["", [["q", null]]])).toBe("");
    const messages = [
      { role: "user", content: "q" },
      { role: "assistant", content: [{ type: "text", text: "thinking" }] },
      { role: "assistant", content: "answer" },
    ];
    expect(readAnswer({ kind: "chatbot", index: 0 }, [messages])).toBe("thinking\n\nanswer");
    expect(readAnswer({ kind: "chatbot", index: 0 }, [[{ role: "user", content: "q" }]])).toBe("");
  });
});

describe("SessionPool", () => {
  const bounds = { max: 3, ttlMs: 1_000 };

  it("reuses a conversation's session only while it has seen exactly the earlier turns", async () => {
    const pool = new SessionPool();
    const first = await pool.lease("c1", 0, bounds);
    expect(first.continued).toBe(false);
    first.release(true);
    const second = await pool.lease("c1", 1, bounds);
    expect(second).toMatchObject({ continued: true, sessionHash: first.sessionHash });
    second.release(true);
    // An edited conversation (fewer earlier turns than the session saw) starts a new session.
    const edited = await pool.lease("c1", 1, bounds);
    expect(edited.continued).toBe(false);
    expect(edited.sessionHash).not.toBe(first.sessionHash);
    // A failed or stopped turn leaves the session's history uncertain: forget it.
    edited.release(false);
    expect(pool.has("c1")).toBe(false);
  });

  it("is bounded: least recently used entries go first, and idle ones expire", async () => {
    let now = 0;
    const pool = new SessionPool(() => now);
    for (const key of ["a", "b", "c", "d"]) (await pool.lease(key, 0, bounds)).release(true);
    expect(pool.size).toBe(3);
    expect(pool.has("a")).toBe(false);
    now = 2_000;
    (await pool.lease("e", 0, bounds)).release(true);
    expect(pool.size).toBe(1);
  });

  it("runs one request of a conversation at a time; a waiter that gives up passes its turn on", async () => {
    const pool = new SessionPool();
    const held = await pool.lease("c", 0, bounds);
    const giveUp = new AbortController();
    const impatient = pool.lease("c", 1, bounds, giveUp.signal);
    let thirdGot = false;
    const third = pool.lease("c", 1, bounds).then((lease) => {
      thirdGot = true;
      return lease;
    });
    giveUp.abort(new Error("stop"));
    await expect(impatient).rejects.toThrow("stop");
    await new Promise((r) => setTimeout(r, 10));
    expect(thirdGot).toBe(false);
    held.release(true);
    const lease = await third;
    expect(lease).toMatchObject({ continued: true, sessionHash: held.sessionHash });
    lease.release(true);
  });
});

describe("error classification", () => {
  it("maps the client's connect failures to codes", () => {
    const hub = (status: number) =>
      new Error(`Space "a/b" could not be accessed (received a ${status} response from the Hugging Face API). Check...`);
    expect(classifyConnectError(hub(404), true).code).toBe("space_not_found");
    expect(classifyConnectError(hub(401), false).code).toBe("space_not_found");
    expect(classifyConnectError(hub(401), true).code).toBe("unauthorized");
    expect(classifyConnectError(new Error("Space metadata could not be loaded. "), false).code).toBe("upstream_unreachable");
    expect(classifyConnectError(new TypeError("fetch failed"), false).code).toBe("upstream_unreachable");
    expect(
      classifyConnectError(new Error("Could not resolve app config. (received status 404 when fetching the app config)"), false).code,
    ).toBe("space_not_found");
    expect(classifyConnectError(new Error("Login credentials are required to access this space."), false).code).toBe("unauthorized");
  });

  it("maps Space statuses that end the wait", () => {
    const paused = classifySpaceStatus({ status: "paused", detail: "PAUSED", load_status: "error", message: "", discussions_enabled: false });
    expect(paused).toMatchObject({ code: "space_sleeping", retryable: false });
    const broken = classifySpaceStatus({ status: "space_error", detail: "BUILD_ERROR", load_status: "error", message: "", discussions_enabled: false });
    expect(broken?.code).toBe("upstream_error");
    expect(classifySpaceStatus({ status: "sleeping", detail: "SLEEPING", load_status: "pending", message: "" })).toBeUndefined();
  });

  it("maps job errors: busy, broken connection, rejected call, gr.Error, anything else", () => {
    const job = (status: Record<string, unknown>, accepted = true) =>
      classifyJobError({ queue: true, stage: "error", ...status }, { accepted });
    expect(job({ message: "This application is currently busy. Please try again. " }).code).toBe("queue_full");
    expect(job({ message: "Connection errored out. ", broken: true }, false).code).toBe("upstream_unreachable");
    expect(job({ message: "Connection errored out. ", broken: true }, true).code).toBe("connection_lost");
    expect(job({ message: "Value 5000 is greater than maximum value 1000.", code: "validation_error" })).toMatchObject({
      code: "upstream_error",
      retryable: false,
    });
    expect(job({ message: "GPU quota exceeded", title: "Error" })).toMatchObject({ code: "app_error", userMessage: "GPU quota exceeded" });
    expect(job({ message: "An error occurred", title: "Error" }).code).toBe("upstream_error");
    expect(job({ message: "Server stopped unexpectedly." }).code).toBe("upstream_error");
    // A gr.Error text is shown, but never a token inside it.
    expect(job({ message: "bad token hf_abcdefghijklmnop", title: "Error" }).userMessage).toBe("bad token hf_[redacted]");
  });
});

describe("redact", () => {
  it("masks the configured token, hf_ tokens, bearer headers and assigned secrets", () => {
    const env = { HF_TOKEN: "hf_CONFIGURED123" };
    const text = 'token hf_CONFIGURED123, other hf_abcdef123456, Authorization: Bearer abc.def, db_password=hunter2 api_key="x y"';
    const out = redact(text, env);
    for (const secret of ["CONFIGURED123", "abcdef123456", "abc.def", "hunter2", '"x y"']) expect(out).not.toContain(secret);
  });
});

describe("limits", () => {
  it("has defaults under the route's 300 s, and reads the environment", () => {
    const defaults = readLimits({});
    expect(defaults.totalMs).toBeLessThan(300_000);
    expect(defaults.firstTokenMs).toBeLessThan(defaults.totalMs);
    expect(readLimits({ UPSTREAM_FIRST_TOKEN_TIMEOUT_MS: "1500" }).firstTokenMs).toBe(1500);
    expect(() => readLimits({ UPSTREAM_TOTAL_TIMEOUT_MS: "soon" })).toThrow(/UPSTREAM_TOTAL_TIMEOUT_MS/);
  });

  it("deadlines abort with their own error code", async () => {
    const deadlines = new Deadlines();
    deadlines.arm("first_token_timeout", 10);
    const never = new Promise<void>(() => undefined);
    const error = await until(never, deadlines.signal).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChatError);
    expect((error as ChatError).code).toBe("first_token_timeout");
    deadlines.clear();
  });
});

describe("settings", () => {
  const tinyllama = registry.models.find((m) => m.id === "tinyllama-1.1b-chat")!;
  it("fills defaults and checks min, max and whole numbers", () => {
    expect(resolveSettings(tinyllama, { temperature: 0 })).toEqual({
      ok: true,
      settings: { max_new_tokens: 250, temperature: 0, top_p: 0.9 },
    });
    const bad = resolveSettings(tinyllama, { top_p: 0.05, max_new_tokens: 60.5, seed: 1 });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.problems).toHaveLength(3);
  });
});

describe("SSE encoding", () => {
  it("round-trips every event through the browser's decoder, keep-alives ignored", () => {
    const events: ChatEvent[] = [
      { event: "status", data: { stage: "queued", position: 2, queueSize: 5, etaSeconds: 3.5 } },
      { event: "delta", data: { text: "line one\nline two \"quoted\" ✓" } },
      { event: "delta", data: { text: "new end", from: 4 } },
      { event: "error", data: { code: "connection_lost", message: "lost", retryable: true } },
      { event: "done", data: { finishReason: "stop", elapsedMs: 12, chars: 11 } },
    ];
    const decoder = new TextDecoder();
    const text = events.map((e) => decoder.decode(encodeEvent(e))).join(decoder.decode(KEEP_ALIVE));
    const parser = new SSEParser();
    // Byte-by-byte chunks: framing must not depend on chunk boundaries.
    const decoded = [...text].flatMap((ch) => parser.push(ch)).map((m) => toChatEvent(m));
    expect(decoded).toEqual(events);
  });
});

describe("which Gradio servers the client can talk to", () => {
  const apiInfo = { named_endpoints: {}, unnamed_endpoints: {} };
  const client = (config: Record<string, unknown> | undefined, api_info: unknown = apiInfo) =>
    ({ config, api_info }) as unknown as Parameters<typeof checkConnected>[0];

  it("refuses Gradio 3.x (websocket protocol) with a clear message, accepts 4.x SSE protocols and later", () => {
    for (const config of [{ version: "3.50.2" }, { version: "3.50.2", protocol: "ws" }]) {
      const error = (() => {
        try {
          checkConnected(client(config), undefined);
        } catch (e) {
          return e as ChatError;
        }
      })();
      expect(error).toMatchObject({ code: "upstream_error", retryable: false, userMessage: expect.stringContaining("Gradio 3.x") });
    }
    for (const protocol of ["sse", "sse_v1", "sse_v2", "sse_v2.1", "sse_v3"]) {
      expect(() => checkConnected(client({ version: "4.x", protocol }), undefined)).not.toThrow();
    }
  });

  it("refuses a connect that yielded no config, no API info, or a login wall", () => {
    expect(() => checkConnected(client(undefined), undefined)).toThrow(ChatError);
    expect(() => checkConnected(client({ protocol: "sse_v3" }, null), undefined)).toThrow(/API info/);
    expect(() => checkConnected(client({ protocol: "sse_v3", auth_required: true }), undefined)).toThrow(ChatError);
  });
});
