/**
 * The request contract of POST /api/chat: what is refused, with which status and code, and that a
 * refused request never reaches an upstream. Plus the stream's headers.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/chat/route";
import { MAX_BODY_BYTES } from "@/lib/chat/limits";
import { resetRegistryCacheForTests } from "@/lib/registry/load";
import { chatRequest, collect, testRegistry, serveRegistry } from "../helpers/chat";
import { startReplicas, type Replicas } from "../helpers/replicas";

let replicas: Replicas;

beforeAll(async () => {
  replicas = await startReplicas({ only: ["tinyllama"], env: { REPLICA_TOKEN_DELAY_MS: "0" } });
  serveRegistry(testRegistry(replicas.urls));
});

afterAll(async () => {
  await replicas?.stop();
});

const user = (content: string) => ({ role: "user" as const, content });

async function refused(body: unknown, init: RequestInit = {}) {
  const request =
    typeof body === "string" || body instanceof ReadableStream
      ? new Request("http://localhost/api/chat", { method: "POST", body, ...init, ...(body instanceof ReadableStream ? { duplex: "half" } : {}) } as RequestInit)
      : chatRequest(body);
  const response = await POST(request);
  const json = (await response.json()) as { error: { code: string; message: string } };
  return { status: response.status, ...json.error, contentType: response.headers.get("content-type") };
}

describe("refused requests", () => {
  it("400 for a body that is not JSON, or breaks the contract", async () => {
    expect(await refused("{not json")).toMatchObject({ status: 400, code: "bad_request", message: expect.stringContaining("JSON") });
    const cases: unknown[] = [
      {},
      { model: "tinyllama-1.1b-chat", messages: [] },
      { model: "tinyllama-1.1b-chat", messages: [user("hi")], extra: true },
      { model: "tinyllama-1.1b-chat", messages: [{ role: "user", content: "hi", name: "x" }] },
      { model: "tinyllama-1.1b-chat", messages: [{ role: "tool", content: "hi" }] },
      { model: "tinyllama-1.1b-chat", messages: [user("hi"), { role: "assistant", content: "yo" }] },
      { model: "tinyllama-1.1b-chat", messages: [user("   ")] },
      { model: "tinyllama-1.1b-chat", messages: [user("a"), { role: "system", content: "late" }, user("b")] },
      { model: "tinyllama-1.1b-chat", messages: [user("hi")], conversationId: "no spaces allowed" },
      { model: "tinyllama-1.1b-chat", messages: Array.from({ length: 201 }, () => user("x")) },
    ];
    for (const body of cases) {
      const answer = await refused(body);
      expect(answer, JSON.stringify(body).slice(0, 80)).toMatchObject({ status: 400, code: "bad_request" });
      expect(answer.contentType).toContain("application/json");
    }
  });

  it("400 for settings the model does not have, out of the registry's range, or not whole", async () => {
    const base = { model: "tinyllama-1.1b-chat", messages: [user("hi")] };
    expect(await refused({ ...base, params: { top_k: 5 } })).toMatchObject({
      status: 400,
      message: expect.stringContaining('no setting "top_k"'),
    });
    expect(await refused({ ...base, params: { temperature: 1.5 } })).toMatchObject({
      status: 400,
      message: expect.stringContaining("params.temperature: must be between 0 and 1"),
    });
    expect(await refused({ ...base, params: { max_new_tokens: 49 } })).toMatchObject({ status: 400 });
    expect(await refused({ ...base, params: { max_new_tokens: 100.5 } })).toMatchObject({
      status: 400,
      message: expect.stringContaining("whole number"),
    });
    expect(await refused({ ...base, params: { temperature: "hot" } })).toMatchObject({ status: 400 });
  });

  it("404 for a model the registry does not have", async () => {
    expect(await refused({ model: "gpt-17", messages: [user("hi")] })).toMatchObject({
      status: 404,
      code: "model_not_found",
      message: expect.stringContaining("gpt-17"),
    });
  });

  it("403 with the reason for a legacy model over the size limit", async () => {
    delete process.env.MODEL_SIZE_LIMIT_MB; // the shipped 1.5 GB limit
    resetRegistryCacheForTests();
    try {
      const answer = await refused({ model: "qwen1.5-110b-chat", messages: [user("hi")] });
      expect(answer).toMatchObject({ status: 403, code: "model_not_served" });
      expect(answer.message).toMatch(/over this deployment's limit of 1\.5 GB.*MODEL_SIZE_LIMIT_MB/);
    } finally {
      process.env.MODEL_SIZE_LIMIT_MB = "300000";
      resetRegistryCacheForTests();
    }
  });

  it("413 for a body over 64 KB, declared or not", async () => {
    const big = JSON.stringify({ model: "tinyllama-1.1b-chat", messages: [user("x".repeat(MAX_BODY_BYTES))] });
    expect(await refused(big)).toMatchObject({ status: 413, code: "payload_too_large" });
    const bytes = new TextEncoder().encode(big);
    const undeclared = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 8192) controller.enqueue(bytes.slice(i, i + 8192));
        controller.close();
      },
    });
    expect(await refused(undeclared)).toMatchObject({ status: 413, code: "payload_too_large" });
    // Many messages that each fit, but not together.
    const many = { model: "tinyllama-1.1b-chat", messages: Array.from({ length: 9 }, () => user("y".repeat(8000))) };
    expect(await refused(many)).toMatchObject({ status: 413 });
  });

  it("none of these reached the upstream", async () => {
    expect(await replicas.events("tinyllama")).toEqual([]);
  });
});

describe("an accepted request", () => {
  it("answers an event stream that no proxy or compressor may buffer", async () => {
    const response = await POST(chatRequest({ model: "tinyllama-1.1b-chat", messages: [user("hi")] }));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-cache, no-transform");
    expect(response.headers.get("x-accel-buffering")).toBe("no");
    const result = await collect(response);
    expect(result.last?.event).toBe("done");
    expect(await replicas.events("tinyllama")).toHaveLength(1);
  });
});
