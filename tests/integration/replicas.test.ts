/**
 * The local Space replicas against the real @gradio/client: every call shape of
 * models.registry.json gets its exact deterministic answer, session history behaves like
 * gr.ChatInterface, and a cancel really closes the upstream generator.
 */
import { Client } from "@gradio/client";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  expectedAnswer,
  MAGIC,
  REPLICA_ERRORS,
  replicaTokens,
  startReplicas,
  type Replicas,
  type ReplicaName,
} from "../helpers/replicas";

type Job = ReturnType<Client["submit"]>;
interface StatusEvent {
  type: "status";
  stage: string;
  message?: unknown;
  position?: number;
  size?: number;
}
interface Collected {
  data: unknown[][];
  statuses: StatusEvent[];
}

const EVENTS = { events: ["data", "status"] as ("data" | "status")[] };
const QUEUE_MAX_SIZE = 3;
const SILENT_SECONDS = 1;

let replicas: Replicas;

/**
 * Noise @gradio/client 2.7 prints by design, filtered so real errors stand out:
 * - "Unexpected client exception" TypeError: Gradio answers a cancel with an empty
 *   process_completed that the client cannot parse (the job then ends with an "error" status);
 * - AbortError: close() aborting the heartbeat stream of apps with session state.
 */
function isKnownClientNoise(args: unknown[]): boolean {
  const first = args[0];
  if (typeof first === "string" && first.startsWith("Unexpected client exception")) return true;
  return first instanceof Error && first.name === "AbortError";
}

beforeAll(async () => {
  const consoleError = console.error.bind(console);
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    if (!isKnownClientNoise(args)) consoleError(...args);
  });
  replicas = await startReplicas({
    env: {
      REPLICA_TOKEN_DELAY_MS: "0",
      REPLICA_QUEUE_MAX_SIZE: String(QUEUE_MAX_SIZE),
      REPLICA_SILENT_SECONDS: String(SILENT_SECONDS),
    },
  });
}, 120_000);

afterAll(async () => {
  vi.restoreAllMocks();
  await replicas?.stop();
});

const connect = (name: ReplicaName) => Client.connect(replicas.urls[name], EVENTS);

async function collect(job: Job): Promise<Collected> {
  const out: Collected = { data: [], statuses: [] };
  for await (const event of job) {
    if (event.type === "data") out.data.push(event.data as unknown[]);
    else if (event.type === "status") out.statuses.push(event as unknown as StatusEvent);
  }
  return out;
}

const lastStage = (c: Collected) => c.statuses.at(-1)?.stage;

/** Every item is the whole answer so far: each one extends the one before. */
function expectCumulative(texts: string[]): void {
  for (let i = 1; i < texts.length; i++) expect(texts[i]!.startsWith(texts[i - 1]!)).toBe(true);
}

async function textOf(job: Job): Promise<{ text: string; items: string[]; c: Collected }> {
  const c = await collect(job);
  expect(lastStage(c)).toBe("complete");
  const items = c.data.map((d) => d[0] as string);
  expectCumulative(items);
  return { text: items.at(-1)!, items, c };
}

describe("API shapes", () => {
  it.each([
    ["qwen", "/model_chat", ["query", "history", "system"]],
    ["phi3", "/chat", ["message", "temperature", "do_sample", "max_new_tokens"]],
    ["openelm", "/chat", ["message", "request", "param_3", "param_4", "param_5", "param_6"]],
    ["tinyllama", "/chat", ["message", "max_new_tokens", "temperature", "top_p"]],
    ["codet5", "/predict", ["prompt", "max_length", "temperature"]],
    ["chatinterface", "/chat", ["message"]],
  ] as const)("%s %s takes %j", async (name, endpoint, params) => {
    type Info = { named_endpoints: Record<string, { parameters: { parameter_name: string | null }[] }> };
    const info = (await (await fetch(`${replicas.urls[name]}/gradio_api/info`)).json()) as Info;
    expect(info.named_endpoints[endpoint]?.parameters.map((p) => p.parameter_name)).toEqual(params);
    // The JS client's view keeps ChatInterface's hidden history state as a nameless slot.
    const client = await connect(name);
    const api = (await client.view_api()) as unknown as Info;
    const names = api.named_endpoints[endpoint]?.parameters.map((p) => p.parameter_name);
    expect(names?.filter((n) => n !== null)).toEqual(params);
    client.close();
  });
});

describe("qwen /model_chat: history is an input", () => {
  it("streams the chatbot pairs, counts the history sent, echoes the system prompt", async () => {
    const client = await connect("qwen");
    const history = [
      ["Hi", "Hello!"],
      ["How are you?", "Fine."],
    ];
    const c = await collect(client.submit("/model_chat", { query: "What is an AI model?", history, system: "Be brief." }));
    expect(lastStage(c)).toBe("complete");
    const expected = expectedAnswer.qwen({ message: "What is an AI model?", earlierTurns: 2, system: "Be brief." });
    const last = c.data.at(-1) as [string, [string, string][], string];
    expect(last[0]).toBe("");
    expect(last[1]).toEqual([...history, ["What is an AI model?", expected]]);
    expect(last[2]).toBe("Be brief.");
    // streamed token by token; the final value arrives twice (last "generating", then "complete")
    const answers = c.data.map((d) => (d[1] as [string, string][]).at(-1)![1]);
    expect(answers.length).toBe(replicaTokens(expected).length + 1);
    expectCumulative(answers);

    const fresh = await collect(client.submit("/model_chat", { query: "again", history: [], system: "S" }));
    const pairs = fresh.data.at(-1)![1] as [string, string][];
    expect(pairs).toEqual([["again", expectedAnswer.qwen({ message: "again", earlierTurns: 0, system: "S" })]]);
    client.close();
  });
});

describe("session history (gr.ChatInterface state, keyed by the client's session)", () => {
  const cases = [
    {
      name: "phi3",
      send: (m: string) => [m, 0, true, 800],
      expected: (message: string, earlierTurns: number) =>
        expectedAnswer.phi3({ message, earlierTurns, temperature: 0, doSample: true, maxNewTokens: 800 }),
    },
    {
      name: "openelm",
      send: (m: string) => ({ message: m, request: 800, param_3: 0.6, param_4: 0.9, param_5: 50, param_6: 1.4 }),
      expected: (message: string, earlierTurns: number) =>
        expectedAnswer.openelm({
          message, earlierTurns, maxNewTokens: 800, temperature: 0.6, topP: 0.9, topK: 50, repetitionPenalty: 1.4,
        }),
    },
    {
      name: "tinyllama",
      send: (m: string) => [m, 250, 0.7, 0.9],
      expected: (message: string, earlierTurns: number) =>
        expectedAnswer.tinyllama({ message, earlierTurns, maxNewTokens: 250, temperature: 0.7, topP: 0.9 }),
    },
    {
      name: "chatinterface",
      send: (m: string) => [m],
      expected: (message: string, earlierTurns: number) => expectedAnswer.chatinterface({ message, earlierTurns }),
    },
  ] as const;

  it.each(cases)("$name: same client sees its earlier turn, a new client starts empty", async ({ name, send, expected }) => {
    await replicas.reset(name);
    const client = await connect(name);
    const first = await textOf(client.submit("/chat", send("first question")));
    expect(first.text).toBe(expected("first question", 0));
    expect(first.items.length).toBeGreaterThan(3); // streamed
    const second = await textOf(client.submit("/chat", send("second question")));
    expect(second.text).toBe(expected("second question", 1));

    const other = await connect(name);
    const fresh = await textOf(other.submit("/chat", send("fresh question")));
    expect(fresh.text).toBe(expected("fresh question", 0));

    const [e1, e2, e3] = await replicas.events(name);
    expect([e1?.status, e2?.status, e3?.status]).toEqual(["completed", "completed", "completed"]);
    expect(e1?.session_hash).toBe(e2?.session_hash);
    expect(e3?.session_hash).not.toBe(e1?.session_hash);
    client.close();
    other.close();
  });

  it("tinyllama: other settings are echoed as sent", async () => {
    const client = await connect("tinyllama");
    const { text } = await textOf(client.submit("/chat", ["hi", 1000, 0, 0.1]));
    expect(text).toBe(expectedAnswer.tinyllama({ message: "hi", earlierTurns: 0, maxNewTokens: 1000, temperature: 0, topP: 0.1 }));
    client.close();
  });
});

describe("codet5 /predict: one final string, history folded into the prompt", () => {
  it("answers once, counting the user: lines before the last one", async () => {
    const client = await connect("codet5");
    const prompt = "user: What is 2+2?\nassistant: 4\nuser: Write add(a, b) in Python\nassistant: def add(a, b): return a + b\nuser: def fib(n):";
    const c = await collect(client.submit("/predict", [prompt, 150, 0.1]));
    expect(lastStage(c)).toBe("complete");
    expect(c.data).toEqual([[expectedAnswer.codet5({ message: "def fib(n):", earlierTurns: 2, maxLength: 150, temperature: 0.1 })]]);

    const plain = await collect(client.submit("/predict", ["def add(a, b):", 500, 1]));
    expect(plain.data).toEqual([[expectedAnswer.codet5({ message: "def add(a, b):", earlierTurns: 0, maxLength: 500, temperature: 1 })]]);
    client.close();
  });
});

describe("test hooks", () => {
  it("gr.Error before and during streaming reach the client; a crash stays generic", async () => {
    const client = await connect("chatinterface");
    const before = await collect(client.submit("/chat", [`${MAGIC.errorBefore} hi`]));
    expect(before.data).toEqual([]);
    expect(before.statuses.at(-1)).toMatchObject({ stage: "error", message: REPLICA_ERRORS.before });

    const during = await collect(client.submit("/chat", [`${MAGIC.errorDuring} hi`]));
    expect(during.data.length).toBe(3);
    expect(during.statuses.at(-1)).toMatchObject({ stage: "error", message: REPLICA_ERRORS.during });

    const crash = await collect(client.submit("/chat", [`${MAGIC.crashDuring} hi`]));
    expect(crash.data.length).toBe(3);
    expect(crash.statuses.at(-1)).toMatchObject({ stage: "error", message: REPLICA_ERRORS.crashShown });
    expect(JSON.stringify(crash)).not.toContain("hunter2");
    client.close();
  });

  it("[[silent]] holds the first token back, then answers normally", async () => {
    const client = await connect("chatinterface");
    const started = Date.now();
    const { text } = await textOf(client.submit("/chat", [`${MAGIC.silent} hi`]));
    expect(Date.now() - started).toBeGreaterThanOrEqual(SILENT_SECONDS * 1000);
    expect(text).toBe(expectedAnswer.chatinterface({ message: `${MAGIC.silent} hi`, earlierTurns: 0 }));
    client.close();
  });

  it("queue: positions are reported, and a full queue is refused as busy", async () => {
    await replicas.reset("phi3");
    // One job runs (concurrency 1), QUEUE_MAX_SIZE wait, one more is refused at once.
    const clients = await Promise.all(Array.from({ length: QUEUE_MAX_SIZE + 2 }, () => connect("phi3")));
    const jobs: Job[] = [];
    const finished: (Collected | undefined)[] = [];
    const results: Promise<Collected>[] = [];
    for (const [i, client] of clients.entries()) {
      const job = client.submit("/chat", [`${MAGIC.slow} job ${i}`, 0, true, 800]);
      jobs.push(job);
      results.push(collect(job).then((c) => (finished[i] = c)));
      if (i === 0) await replicas.waitForEvent("phi3", () => true); // job 0 runs before the others queue
    }
    await Promise.race(results.slice(1));
    const refusedIndex = finished.findIndex((c) => c !== undefined);
    const refused = finished[refusedIndex]!;
    expect(refused.statuses.at(-1)).toMatchObject({ stage: "error" });
    expect(String(refused.statuses.at(-1)?.message)).toMatch(/busy/i);
    expect(refused.data).toEqual([]);

    for (const [i, job] of jobs.entries()) if (i !== refusedIndex) await job.cancel();
    const all = await Promise.all(results);
    const positions = all.flatMap((c) => c.statuses.map((s) => s.position).filter((p) => p !== undefined));
    expect(Math.max(...positions)).toBeGreaterThanOrEqual(QUEUE_MAX_SIZE - 1);
    expect((await replicas.events("phi3")).filter((e) => e.status === "running")).toEqual([]);
    for (const client of clients) client.close();
  });
});

describe("cancel", () => {
  it("job.cancel() closes the upstream generator: the replica records it as cancelled", async () => {
    await replicas.reset("tinyllama");
    const client = await connect("tinyllama");
    const job = client.submit("/chat", [`${MAGIC.slow} stop me`, 250, 0.7, 0.9]);
    let items = 0;
    const seen = (async () => {
      const c: Collected = { data: [], statuses: [] };
      for await (const event of job) {
        if (event.type === "data") items++;
        if (event.type === "status") c.statuses.push(event as unknown as StatusEvent);
      }
      return c;
    })();
    const running = await replicas.waitForEvent("tinyllama", (e) => e.tokens_sent >= 2);
    expect(running.status).toBe("running");
    const cancelledAt = Date.now();
    await job.cancel();
    const event = await replicas.waitForEvent("tinyllama", (e) => e.id === running.id && e.status !== "running", 3_000);
    expect(event.status).toBe("cancelled");
    expect(Date.now() - cancelledAt).toBeLessThan(3_000);
    expect(event.tokens_sent).toBeLessThan(50);
    // @gradio/client 2.7 ends a cancelled job's iterator with an "error" status of its own.
    const c = await seen;
    expect(items).toBeGreaterThanOrEqual(2);
    expect(c.statuses.at(-1)).toMatchObject({ stage: "error", message: "An Unexpected Error Occurred!" });
    client.close();
  });

  it("a job cancelled before its first token is recorded as cancelled with 0 tokens", async () => {
    await replicas.reset("codet5");
    const client = await connect("codet5");
    const job = client.submit("/predict", [`${MAGIC.silent} stop me`, 150, 0.1]);
    const seen = collect(job);
    const running = await replicas.waitForEvent("codet5", (e) => e.status === "running");
    await job.cancel();
    const event = await replicas.waitForEvent("codet5", (e) => e.id === running.id && e.status !== "running", 3_000);
    expect(event).toMatchObject({ status: "cancelled", tokens_sent: 0 });
    expect((await seen).data).toEqual([]);
    client.close();
  });
});
