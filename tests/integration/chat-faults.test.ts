/**
 * Faults: each gives the right `error` event (code, a message fit for a user, retryable), after
 * the deltas already sent, which stay intact. gr.Error before and during streaming, a plain
 * exception in the app (its text never shown), deadlines (first token, total, connect), an
 * unreachable port, and a replica killed mid-answer, then restarted (the dead cached client is
 * replaced).
 */
import net from "node:net";
import { Client } from "@gradio/client";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { POST } from "@/app/api/chat/route";
import { ERRORS } from "@/lib/upstream/errors";
import { resetGradioClientsForTests } from "@/lib/upstream/gradio/client-cache";
import { chatRequest, collect, testRegistry, serveRegistry, type CollectedChat } from "../helpers/chat";
import { freePort } from "../helpers/ports";
import {
  expectedAnswer,
  MAGIC,
  REPLICA_ERRORS,
  replicaTokens,
  slowAnswer,
  startReplicas,
  TOKENS_BEFORE_MIDSTREAM_ERROR,
  type Replicas,
} from "../helpers/replicas";

let replicas: Replicas;
let logs: string[] = [];

beforeAll(async () => {
  replicas = await startReplicas({
    only: ["tinyllama", "codet5"],
    env: { REPLICA_TOKEN_DELAY_MS: "5", REPLICA_SLOW_TOKEN_DELAY_MS: "50", REPLICA_SILENT_SECONDS: "30" },
  });
  serveRegistry(testRegistry(replicas.urls));
  const capture = (...args: unknown[]) => void logs.push(args.map(String).join(" "));
  vi.spyOn(console, "warn").mockImplementation(capture);
  vi.spyOn(console, "error").mockImplementation(capture);
});

afterEach(() => {
  for (const name of ["UPSTREAM_FIRST_TOKEN_TIMEOUT_MS", "UPSTREAM_TOTAL_TIMEOUT_MS", "UPSTREAM_CONNECT_TIMEOUT_MS"]) {
    delete process.env[name];
  }
  logs = [];
});

afterAll(async () => {
  vi.restoreAllMocks();
  resetGradioClientsForTests();
  await replicas?.stop();
});

const tinyllamaAnswer = (message: string) =>
  expectedAnswer.tinyllama({ message, earlierTurns: 0, maxNewTokens: 250, temperature: 0.7, topP: 0.9 });

async function ask(content: string, model = "tinyllama-1.1b-chat"): Promise<CollectedChat> {
  const response = await POST(chatRequest({ model, messages: [{ role: "user", content }] }));
  expect(response.status).toBe(200);
  return collect(response);
}

/** The deltas sent are the answer's first tokens, each once, and an error ends the stream. */
function expectPartialThenError(result: CollectedChat, fullAnswer: string, code: string) {
  const tokens = replicaTokens(fullAnswer);
  expect(result.text).toBe(tokens.slice(0, result.deltas.length).join(""));
  expect(result.last).toMatchObject({ event: "error", data: { code } });
  expect(result.events.filter((e) => e.event === "error" || e.event === "done")).toHaveLength(1);
}

function errorOf(result: CollectedChat) {
  if (result.last?.event !== "error") throw new Error(`expected an error, got ${JSON.stringify(result.last)}`);
  return result.last.data;
}

describe("errors raised by the app", () => {
  it("gr.Error before streaming: its message, no text", async () => {
    const result = await ask(`${MAGIC.errorBefore} hi`);
    expect(result.deltas).toEqual([]);
    expect(errorOf(result)).toEqual({ code: "app_error", message: REPLICA_ERRORS.before, retryable: true });
  });

  it("gr.Error during streaming: the text so far stays, then its message", async () => {
    const message = `${MAGIC.errorDuring} hi`;
    const result = await ask(message);
    expect(result.deltas).toHaveLength(TOKENS_BEFORE_MIDSTREAM_ERROR);
    expectPartialThenError(result, tinyllamaAnswer(message), "app_error");
    expect(errorOf(result).message).toBe(REPLICA_ERRORS.during);
  });

  it("a plain exception: a generic message; the app's text (a secret) is neither shown nor logged", async () => {
    const message = `${MAGIC.crashDuring} hi`;
    const response = await POST(chatRequest({ model: "tinyllama-1.1b-chat", messages: [{ role: "user", content: message }] }));
    const raw = await response.clone().text();
    const result = await collect(response);
    expectPartialThenError(result, tinyllamaAnswer(message), "upstream_error");
    expect(errorOf(result)).toEqual({ code: "upstream_error", message: ERRORS.upstream_error.message, retryable: true });
    for (const secret of ["hunter2", "hf_REPLICA_SECRET", "stack"]) {
      expect(raw).not.toContain(secret);
      expect(logs.join("\n")).not.toContain(secret);
    }
    // What the upstream said is logged for the operator.
    expect(logs.join("\n")).toContain('"code":"upstream_error"');
  });

  it("trap: without status events, the stock client shows an app error as an empty success", async () => {
    const client = await Client.connect(replicas.urls.tinyllama); // events: ["data"], the default
    const seen: string[] = [];
    for await (const event of client.submit("/chat", [`${MAGIC.errorBefore} quiet`, 250, 0.7, 0.9])) seen.push(event.type);
    client.close();
    expect(seen).toEqual([]); // no data, no error: the loop just ends. The route asks for statuses.
  });

  it("the same faults in a non-streamed endpoint", async () => {
    const before = await ask(`${MAGIC.errorBefore} x`, "codet5-small");
    expect(errorOf(before)).toMatchObject({ code: "app_error", message: REPLICA_ERRORS.before });
    const crash = await ask(`${MAGIC.crashDuring} x`, "codet5-small");
    expect(crash.deltas).toEqual([]);
    expect(errorOf(crash).code).toBe("upstream_error");
  });
});

describe("deadlines", () => {
  it("first token: a Space that starts but stays silent is cancelled with first_token_timeout", async () => {
    process.env.UPSTREAM_FIRST_TOKEN_TIMEOUT_MS = "800";
    await replicas.reset("tinyllama");
    const started = Date.now();
    const result = await ask(`${MAGIC.silent} anyone?`);
    const elapsed = Date.now() - started;
    expect(errorOf(result)).toMatchObject({ code: "first_token_timeout", retryable: true });
    expect(result.deltas).toEqual([]);
    expect(elapsed).toBeGreaterThanOrEqual(800);
    expect(elapsed).toBeLessThan(10_000);
    const job = await replicas.waitForEvent("tinyllama", (e) => e.status !== "running");
    expect(job.status).toBe("cancelled");
  });

  it("total: a long answer is cut with total_timeout, the text so far intact, the job cancelled", async () => {
    process.env.UPSTREAM_TOTAL_TIMEOUT_MS = "1500";
    await replicas.reset("tinyllama");
    const message = `${MAGIC.slow} go`;
    const result = await ask(message);
    expect(result.deltas.length).toBeGreaterThan(3);
    expectPartialThenError(result, slowAnswer(tinyllamaAnswer(message)), "total_timeout");
    const job = await replicas.waitForEvent("tinyllama", (e) => e.status !== "running");
    expect(job.status).toBe("cancelled");
  });

  it("connect: a host that accepts but never answers gives connect_timeout", async () => {
    const sockets = new Set<net.Socket>();
    const blackHole = net.createServer((socket) => void sockets.add(socket)); // accepts, says nothing
    await new Promise<void>((resolve) => blackHole.listen(0, "127.0.0.1", resolve));
    const { port } = blackHole.address() as net.AddressInfo;
    try {
      serveRegistry(testRegistry(replicas.urls, { "chatinterface-demo": `http://127.0.0.1:${port}` }));
      process.env.UPSTREAM_CONNECT_TIMEOUT_MS = "500";
      const started = Date.now();
      const result = await ask("hello?", "chatinterface-demo");
      expect(errorOf(result)).toMatchObject({ code: "connect_timeout", retryable: true });
      expect(result.statuses[0]).toEqual({ stage: "connecting" });
      expect(Date.now() - started).toBeLessThan(10_000); // the black hole never answers
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => blackHole.close(resolve));
      serveRegistry(testRegistry(replicas.urls));
    }
  });
});

describe("unreachable and lost upstreams", () => {
  it("a port nobody listens on: upstream_unreachable, retryable", async () => {
    const port = await freePort();
    serveRegistry(testRegistry(replicas.urls, { "chatinterface-demo": `http://127.0.0.1:${port}` }));
    try {
      const result = await ask("hello?", "chatinterface-demo");
      expect(errorOf(result)).toEqual({
        code: "upstream_unreachable",
        message: ERRORS.upstream_unreachable.message,
        retryable: true,
      });
    } finally {
      serveRegistry(testRegistry(replicas.urls));
    }
  });

  it("a replica killed mid-answer: connection_lost after the text so far; restarted, it answers again", async () => {
    const port = await freePort();
    const env = { REPLICA_TOKEN_DELAY_MS: "5", REPLICA_SLOW_TOKEN_DELAY_MS: "50" };
    let victim = await startReplicas({ only: ["chatinterface"], ports: { chatinterface: port }, env });
    serveRegistry(testRegistry({ ...replicas.urls, chatinterface: victim.urls.chatinterface }));
    try {
      const warm = await ask("warm up", "chatinterface-demo");
      expect(warm.last?.event).toBe("done");

      const message = `${MAGIC.slow} doomed`;
      const response = await POST(chatRequest({ model: "chatinterface-demo", messages: [{ role: "user", content: message }] }));
      const result = await collect(response, (event, sofar) => {
        if (event.event === "delta" && sofar.deltas.length === 5) process.kill(-victim.pid, "SIGKILL");
      });
      expect(result.deltas.length).toBeGreaterThanOrEqual(5);
      expectPartialThenError(result, slowAnswer(expectedAnswer.chatinterface({ message, earlierTurns: 0 })), "connection_lost");
      expect(errorOf(result).retryable).toBe(true);
      await victim.stop();

      const whileDown = await ask("anyone there?", "chatinterface-demo");
      expect(errorOf(whileDown).code).toBe("upstream_unreachable");

      victim = await startReplicas({ only: ["chatinterface"], ports: { chatinterface: port }, env });
      const back = await ask("back again", "chatinterface-demo");
      expect(back.text).toBe(expectedAnswer.chatinterface({ message: "back again", earlierTurns: 0 }));
    } finally {
      await victim.stop();
      serveRegistry(testRegistry(replicas.urls));
    }
  }, 60_000);

  it("a replica restarted between two messages: the stale cached client is replaced without an error", async () => {
    const port = await freePort();
    const env = { REPLICA_TOKEN_DELAY_MS: "5" };
    let victim = await startReplicas({ only: ["chatinterface"], ports: { chatinterface: port }, env });
    serveRegistry(testRegistry({ ...replicas.urls, chatinterface: victim.urls.chatinterface }));
    try {
      expect((await ask("before", "chatinterface-demo")).last?.event).toBe("done");
      await victim.stop();
      victim = await startReplicas({ only: ["chatinterface"], ports: { chatinterface: port }, env });
      const after = await ask("after", "chatinterface-demo");
      expect(after.text).toBe(expectedAnswer.chatinterface({ message: "after", earlierTurns: 0 }));
    } finally {
      await victim.stop();
      serveRegistry(testRegistry(replicas.urls));
    }
  }, 60_000);
});
