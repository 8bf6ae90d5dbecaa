/**
 * Spaces named `owner/name` go through the Hugging Face hub first (where the Space runs, whether
 * it sleeps). The hub cannot be reached from here, so these tests answer the hub's few API calls
 * with a SIMULATED hub (and only the hub: the app behind it is a real replica). What is tested is
 * our handling: a `waking` status while the Space starts, then the answer; an unknown Space; a
 * token the hub rejects (sent to the hub, never shown).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { POST } from "@/app/api/chat/route";
import { ERRORS } from "@/lib/upstream/errors";
import { resetGradioClientsForTests } from "@/lib/upstream/gradio/client-cache";
import { chatRequest, collect, testRegistry, serveRegistry } from "../helpers/chat";
import { expectedAnswer, startReplicas, type Replicas } from "../helpers/replicas";

const HUB = "https://huggingface.co/api/spaces/";
const CANARY_TOKEN = "hf_simulatedHubCanary0123456789";

type HubSpace = { host: string; stages: string[]; requireToken?: string };

/**
 * A simulated Hugging Face hub: answers `GET /api/spaces/<id>/host` and `GET /api/spaces/<id>`
 * for the spaces given, 404 for others; every other URL goes to the real fetch.
 */
function simulatedHub(spaces: Record<string, HubSpace>) {
  const realFetch = globalThis.fetch;
  const seenAuthorization: string[] = [];
  const fake = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (!url.startsWith(HUB)) return realFetch(input, init);
    const auth = new Headers(init?.headers).get("authorization");
    if (auth) seenAuthorization.push(auth);
    const [owner, name, what] = url.slice(HUB.length).split("/");
    const space = spaces[`${owner}/${name}`];
    if (!space) return Response.json({ error: "Repository not found" }, { status: 404 });
    if (space.requireToken && auth !== `Bearer ${space.requireToken}`) {
      return Response.json({ error: "Invalid credentials in Authorization header" }, { status: 401 });
    }
    if (what === "host") return Response.json({ host: space.host });
    const stage = space.stages.length > 1 ? space.stages.shift()! : space.stages[0]!;
    return Response.json({ id: `${owner}/${name}`, runtime: { stage } });
  };
  globalThis.fetch = fake as typeof fetch;
  return { seenAuthorization, restore: () => void (globalThis.fetch = realFetch) };
}

let replicas: Replicas;
let hub: ReturnType<typeof simulatedHub> | undefined;

beforeAll(async () => {
  replicas = await startReplicas({ only: ["chatinterface"], env: { REPLICA_TOKEN_DELAY_MS: "5" } });
});

afterEach(() => {
  hub?.restore();
  hub = undefined;
  delete process.env.HF_TOKEN;
  resetGradioClientsForTests();
});

afterAll(async () => {
  await replicas?.stop();
});

function pointAt(space: string) {
  serveRegistry(testRegistry(replicas.urls, { "chatinterface-demo": space }));
}

const ask = async (content: string) =>
  collect(await POST(chatRequest({ model: "chatinterface-demo", messages: [{ role: "user", content }] })));

describe("a Space behind the (simulated) hub", () => {
  it("simulatedHubSleepingSpace: says `waking` while the Space starts, then answers", async () => {
    hub = simulatedHub({ "someone/sleepy": { host: replicas.urls.chatinterface, stages: ["SLEEPING", "RUNNING"] } });
    pointAt("someone/sleepy");
    const result = await ask("wake up");
    expect(result.statuses[0]).toEqual({ stage: "connecting" });
    expect(result.statuses).toContainEqual({ stage: "waking", message: expect.stringMatching(/asleep/) });
    const waking = result.events.findIndex((e) => e.event === "status" && e.data.stage === "waking");
    const firstDelta = result.events.findIndex((e) => e.event === "delta");
    expect(waking).toBeLessThan(firstDelta);
    expect(result.text).toBe(expectedAnswer.chatinterface({ message: "wake up", earlierTurns: 0 }));
    expect(result.last?.event).toBe("done");

    // Connected once: the next message neither connects nor wakes again.
    const again = await ask("still there?");
    expect(again.statuses.map((s) => s.stage)).toEqual(["generating"]);
  });

  it("simulatedHubUnknownSpace: space_not_found, not retryable", async () => {
    hub = simulatedHub({});
    pointAt("someone/no-such-space");
    const result = await ask("hello?");
    expect(result.last).toEqual({
      event: "error",
      data: { code: "space_not_found", message: ERRORS.space_not_found.message, retryable: false },
    });
  });

  it("simulatedHubRejectsToken: the token goes to the hub, the user reads `unauthorized`, no token in the answer", async () => {
    process.env.HF_TOKEN = CANARY_TOKEN;
    hub = simulatedHub({ "someone/private": { host: replicas.urls.chatinterface, stages: ["RUNNING"], requireToken: "hf_theRightOne" } });
    pointAt("someone/private");
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const response = await POST(chatRequest({ model: "chatinterface-demo", messages: [{ role: "user", content: "let me in" }] }));
    const raw = await response.clone().text();
    const result = await collect(response);
    expect(result.last).toMatchObject({ event: "error", data: { code: "unauthorized", retryable: false } });
    expect(hub.seenAuthorization).toContain(`Bearer ${CANARY_TOKEN}`);
    expect(raw).not.toContain(CANARY_TOKEN);
    expect(warn.mock.calls.flat().join("\n")).not.toContain(CANARY_TOKEN);
    warn.mockRestore();
  });
});
