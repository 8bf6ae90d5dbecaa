/**
 * The Space's queue, as the user sees it through the route: `queued` status events with the
 * position and queue size Gradio reports, updated as the queue moves, before the answer; and a
 * full queue answered with `queue_full` ("busy, try again").
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/chat/route";
import { resetGradioClientsForTests } from "@/lib/upstream/gradio/client-cache";
import { chatRequest, collect, testRegistry, serveRegistry } from "../helpers/chat";
import { expectedAnswer, MAGIC, startReplicas, type Replicas } from "../helpers/replicas";

const QUEUE_MAX_SIZE = 2;
let replicas: Replicas;

beforeAll(async () => {
  replicas = await startReplicas({
    only: ["tinyllama"],
    env: {
      REPLICA_TOKEN_DELAY_MS: "5",
      REPLICA_SLOW_TOKEN_DELAY_MS: "100",
      REPLICA_QUEUE_MAX_SIZE: String(QUEUE_MAX_SIZE),
    },
  });
  serveRegistry(testRegistry(replicas.urls));
});

afterAll(async () => {
  resetGradioClientsForTests();
  await replicas?.stop();
});

const request = (content: string, signal?: AbortSignal) =>
  chatRequest({ model: "tinyllama-1.1b-chat", messages: [{ role: "user", content }] }, { signal });

/** A [[slow]] job through the route that holds the Space (running or waiting) until stopped. */
async function occupy(label: string, until: "running" | "queued") {
  const stop = new AbortController();
  let reached!: () => void;
  const isThere = new Promise<void>((resolve) => (reached = resolve));
  const done = POST(request(`${MAGIC.slow} ${label}`, stop.signal)).then((r) =>
    collect(r, (e) => {
      if (until === "queued" && e.event === "status" && e.data.stage === "queued") reached();
      if (until === "running" && e.event === "delta") reached();
    }, stop),
  );
  await isThere;
  return { stop: () => stop.abort(), done };
}

describe("queue status", () => {
  it("reports the position and size while waiting, updated as the queue moves, then the answer", async () => {
    await replicas.reset("tinyllama");
    const first = await occupy("first", "running");
    const second = await occupy("second", "queued");

    const mine = await collect(await POST(request("my question")), (event) => {
      if (event.event !== "status" || event.data.stage !== "queued") return;
      // Free the Space one job at a time as we move up.
      if (event.data.position === 1) first.stop();
      if (event.data.position === 0) second.stop();
    });
    await Promise.all([first.done, second.done]);

    const queued = mine.statuses.filter((s) => s.stage === "queued");
    expect(queued[0]).toMatchObject({ stage: "queued", position: 1, queueSize: 2 });
    expect(queued.map((s) => s.position)).toContain(0);
    const positions = queued.map((s) => s.position!);
    expect([...positions].sort((a, b) => b - a)).toEqual(positions); // only ever down
    const firstDelta = mine.events.findIndex((e) => e.event === "delta");
    const lastQueued = mine.events.findLastIndex((e) => e.event === "status" && e.data.stage === "queued");
    expect(lastQueued).toBeLessThan(firstDelta);
    expect(mine.text).toBe(
      expectedAnswer.tinyllama({ message: "my question", earlierTurns: 0, maxNewTokens: 250, temperature: 0.7, topP: 0.9 }),
    );
    const jobs = await replicas.events("tinyllama");
    expect(jobs.map((j) => j.status)).toEqual(["cancelled", "cancelled", "completed"]);
  }, 60_000);
});

describe("queue full", () => {
  it("answers queue_full, retryable, when the Space's queue has no room", async () => {
    await replicas.reset("tinyllama");
    const holders = [await occupy("running", "running")];
    // Fill every waiting place.
    for (let i = 0; i < QUEUE_MAX_SIZE; i++) holders.push(await occupy(`waiting ${i}`, "queued"));

    const started = Date.now();
    const refused = await collect(await POST(request("one too many")));
    expect(refused.last).toMatchObject({
      event: "error",
      data: { code: "queue_full", retryable: true, message: expect.stringMatching(/busy/i) },
    });
    expect(refused.deltas).toEqual([]);
    expect(Date.now() - started).toBeLessThan(10_000); // not after waiting ~20 s for a place

    for (const h of holders) h.stop();
    await Promise.all(holders.map((h) => h.done));
    expect((await replicas.events("tinyllama")).map((e) => e.message)).not.toContain("one too many");
  }, 60_000);
});
