/**
 * The chat route against the six local replicas, one per call shape of the registry: the
 * concatenated deltas are exactly the replica's answer (no text twice, though Gradio sends every
 * item cumulatively and the final one twice), settings reach the replica, and the second turn of
 * a conversation sees the first in each history mode (input, session, prompt).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { POST } from "@/app/api/chat/route";
import { gradioSessionCountForTests } from "@/lib/upstream/gradio/backend";
import { resetGradioClientsForTests } from "@/lib/upstream/gradio/client-cache";
import { chatRequest, collect, testRegistry, serveRegistry, type ChatBody, type CollectedChat } from "../helpers/chat";
import { expectedAnswer, replicaTokens, startReplicas, type ReplicaName, type Replicas } from "../helpers/replicas";

let replicas: Replicas;

beforeAll(async () => {
  replicas = await startReplicas({ env: { REPLICA_TOKEN_DELAY_MS: "5" } });
  serveRegistry(testRegistry(replicas.urls));
});

afterAll(async () => {
  await replicas?.stop();
});

async function chat(body: ChatBody): Promise<CollectedChat> {
  const response = await POST(chatRequest(body));
  expect(response.status).toBe(200);
  return collect(response);
}

/** The stream's shape: statuses first, deltas of new text only, one `done` last. */
function expectCleanAnswer(result: CollectedChat, answer: string, streamed: boolean) {
  expect(result.text).toBe(answer);
  expect(result.deltas.join("")).toBe(answer); // no replacement, nothing twice
  expect(result.deltas.every((d) => d.length > 0)).toBe(true);
  expect(result.events.some((e) => e.event === "delta" && e.data.from !== undefined)).toBe(false);
  if (streamed) expect(result.deltas.length).toBe(replicaTokens(answer).length);
  else expect(result.deltas).toEqual([answer]);
  const firstDelta = result.events.findIndex((e) => e.event === "delta");
  expect(result.events.slice(0, firstDelta).every((e) => e.event === "status")).toBe(true);
  expect(result.statuses.map((s) => s.stage)).toContain("generating");
  expect(result.last).toMatchObject({ event: "done", data: { finishReason: "stop", chars: answer.length } });
  expect(result.events.filter((e) => e.event === "done" || e.event === "error")).toHaveLength(1);
}

async function lastTwoJobs(name: ReplicaName) {
  const events = await replicas.events(name);
  return events.slice(-2);
}

describe("each call shape gives the replica's exact answer, with settings, over two turns", () => {
  it("qwen /model_chat: named inputs, history as pairs, system prompt, chatbot output", async () => {
    const system = "You are a terse pirate.";
    const first = await chat({
      model: "qwen1.5-110b-chat",
      messages: [
        { role: "system", content: system },
        { role: "user", content: "Ahoy?" },
      ],
    });
    const answer1 = expectedAnswer.qwen({ message: "Ahoy?", earlierTurns: 0, system });
    expectCleanAnswer(first, answer1, true);

    const second = await chat({
      model: "qwen1.5-110b-chat",
      conversationId: "conv-qwen-1",
      messages: [
        { role: "system", content: system },
        { role: "user", content: "Ahoy?" },
        { role: "assistant", content: first.text },
        { role: "user", content: "And then?" },
      ],
    });
    expectCleanAnswer(second, expectedAnswer.qwen({ message: "And then?", earlierTurns: 1, system }), true);

    // Without a system message the registry's default is sent.
    const plain = await chat({ model: "qwen1.5-moe-a2.7b-chat", messages: [{ role: "user", content: "Hi" }] });
    expect(plain.text).toBe(expectedAnswer.qwen({ message: "Hi", earlierTurns: 0, system: "You are a helpful assistant." }));
  });

  it("phi3 /chat: positional inputs with a constant, session history", async () => {
    const params = { temperature: 0.25, max_new_tokens: 512 };
    const conversationId = "conv-phi3-1";
    const first = await chat({ model: "phi-3-mini-128k-instruct", conversationId, params, messages: [{ role: "user", content: "One" }] });
    expectCleanAnswer(
      first,
      expectedAnswer.phi3({ message: "One", earlierTurns: 0, temperature: 0.25, doSample: true, maxNewTokens: 512 }),
      true,
    );
    const second = await chat({
      model: "phi-3-mini-128k-instruct",
      conversationId,
      params,
      messages: [
        { role: "user", content: "One" },
        { role: "assistant", content: first.text },
        { role: "user", content: "Two" },
      ],
    });
    expectCleanAnswer(
      second,
      expectedAnswer.phi3({ message: "Two", earlierTurns: 1, temperature: 0.25, doSample: true, maxNewTokens: 512 }),
      true,
    );
    const [job1, job2] = await lastTwoJobs("phi3");
    expect(job1!.session_hash).toBe(job2!.session_hash);
  });

  it("openelm /chat: named inputs with odd API names (request, param_3..param_6), session history", async () => {
    const params = { max_new_tokens: 64, temperature: 1.5, top_p: 0.5, top_k: 7, repetition_penalty: 1.1 };
    const expected = (message: string, earlierTurns: number) =>
      expectedAnswer.openelm({ message, earlierTurns, maxNewTokens: 64, temperature: 1.5, topP: 0.5, topK: 7, repetitionPenalty: 1.1 });
    const conversationId = "conv-openelm-1";
    const first = await chat({ model: "openelm-3b", conversationId, params, messages: [{ role: "user", content: "Hello" }] });
    expectCleanAnswer(first, expected("Hello", 0), true);
    const second = await chat({
      model: "openelm-3b",
      conversationId,
      params,
      messages: [
        { role: "user", content: "Hello" },
        { role: "assistant", content: first.text },
        { role: "user", content: "More" },
      ],
    });
    expectCleanAnswer(second, expected("More", 1), true);
  });

  it("tinyllama /chat: positional settings, defaults filled in, session history", async () => {
    const conversationId = "conv-tinyllama-1";
    const first = await chat({ model: "tinyllama-1.1b-chat", conversationId, messages: [{ role: "user", content: "What is an AI model?" }] });
    expectCleanAnswer(
      first,
      expectedAnswer.tinyllama({ message: "What is an AI model?", earlierTurns: 0, maxNewTokens: 250, temperature: 0.7, topP: 0.9 }),
      true,
    );
    const second = await chat({
      model: "tinyllama-1.1b-chat",
      conversationId,
      params: { temperature: 0.1 },
      messages: [
        { role: "user", content: "What is an AI model?" },
        { role: "assistant", content: first.text },
        { role: "user", content: "Shorter please" },
      ],
    });
    expectCleanAnswer(
      second,
      expectedAnswer.tinyllama({ message: "Shorter please", earlierTurns: 1, maxNewTokens: 250, temperature: 0.1, topP: 0.9 }),
      true,
    );
  });

  it("codet5 /predict: one non-streamed result, history folded into the prompt", async () => {
    const params = { max_length: 300, temperature: 0.5 };
    const first = await chat({ model: "codet5-small", params, messages: [{ role: "user", content: "def add(a, b):" }] });
    expectCleanAnswer(first, expectedAnswer.codet5({ message: "def add(a, b):", earlierTurns: 0, maxLength: 300, temperature: 0.5 }), false);
    const second = await chat({
      model: "codet5-small",
      params,
      messages: [
        { role: "user", content: "def add(a, b):" },
        { role: "assistant", content: first.text },
        { role: "user", content: "def sub(a, b):" },
      ],
    });
    expectCleanAnswer(second, expectedAnswer.codet5({ message: "def sub(a, b):", earlierTurns: 1, maxLength: 300, temperature: 0.5 }), false);
    const [, job2] = await lastTwoJobs("codet5");
    expect(job2!.prompt).toBe(`user: def add(a, b):\nassistant: ${first.text}\nuser: def sub(a, b):\nassistant:`);
  });

  it("chatinterface /chat: a plain gr.ChatInterface keeps turns in its session, three deep", async () => {
    const conversationId = "conv-chatinterface-1";
    const messages: ChatBody["messages"] = [];
    for (const [turn, content] of ["a", "b", "c"].entries()) {
      messages.push({ role: "user", content });
      const result = await chat({ model: "chatinterface-demo", conversationId, messages });
      expectCleanAnswer(result, expectedAnswer.chatinterface({ message: content, earlierTurns: turn }), true);
      messages.push({ role: "assistant", content: result.text });
    }
    const jobs = (await replicas.events("chatinterface")).slice(-3);
    expect(new Set(jobs.map((j) => j.session_hash)).size).toBe(1);
  });
});

describe("upstream sessions per conversation", () => {
  it("gives two conversations on one Space two sessions, each with its own history", async () => {
    const ask = (conversationId: string, content: string, earlier: ChatBody["messages"] = []) =>
      chat({ model: "chatinterface-demo", conversationId, messages: [...earlier, { role: "user", content }] });
    const a1 = await ask("conv-sessions-a", "A1");
    const b1 = await ask("conv-sessions-b", "B1");
    const a2 = await ask("conv-sessions-a", "A2", [
      { role: "user", content: "A1" },
      { role: "assistant", content: a1.text },
    ]);
    expect(b1.text).toBe(expectedAnswer.chatinterface({ message: "B1", earlierTurns: 0 }));
    expect(a2.text).toBe(expectedAnswer.chatinterface({ message: "A2", earlierTurns: 1 }));
    const [ja1, jb1, ja2] = (await replicas.events("chatinterface")).slice(-3);
    expect(ja1!.session_hash).toBe(ja2!.session_hash);
    expect(jb1!.session_hash).not.toBe(ja1!.session_hash);
    expect(gradioSessionCountForTests()).toBeGreaterThanOrEqual(2);
  });

  it("folds the earlier turns into the prompt when the upstream session does not hold them", async () => {
    // A conversation this server has no session for (restarted server, evicted, or edited).
    const result = await chat({
      model: "chatinterface-demo",
      conversationId: "conv-sessions-unknown",
      messages: [
        { role: "user", content: "Earlier question" },
        { role: "assistant", content: "Earlier answer" },
        { role: "user", content: "Now" },
      ],
    });
    const folded = "user: Earlier question\nassistant: Earlier answer\nuser: Now\nassistant:";
    expect(result.text).toBe(expectedAnswer.chatinterface({ message: folded, earlierTurns: 0 }));
  });
});

describe("one connect per Space", () => {
  it("reads the app's config and API once, then only submits, for every message and conversation", async () => {
    resetGradioClientsForTests();
    const realFetch = globalThis.fetch;
    const urls: string[] = [];
    // Not a double: it passes every call through and only writes down the URL.
    const spy = vi.spyOn(globalThis, "fetch").mockImplementation((input, init) => {
      urls.push(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
      return realFetch(input, init);
    });
    try {
      for (const conversationId of ["conv-connect-1", "conv-connect-2", "conv-connect-3"]) {
        const result = await chat({ model: "tinyllama-1.1b-chat", conversationId, messages: [{ role: "user", content: "hi" }] });
        expect(result.last?.event).toBe("done");
      }
    } finally {
      spy.mockRestore();
    }
    const count = (suffix: string) => urls.filter((u) => new URL(u).pathname.endsWith(suffix)).length;
    expect(count("/config")).toBe(1);
    expect(count("/info")).toBe(1);
    expect(count("/queue/join")).toBe(3);
    expect(urls.some((u) => u.includes("/heartbeat/"))).toBe(false);
  });
});
