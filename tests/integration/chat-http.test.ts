/**
 * The built app over HTTP (`next start`), built and run with HF_TOKEN set to a canary value:
 * - the canary is in no file of the build output (so in no client bundle under .next/static) and
 *   in no response body;
 * - the chat stream is not buffered on the way out: deltas arrive one by one, spread over time;
 * - Stop over a real socket (the browser aborting its fetch) cancels the job on the Space.
 *
 * One `next build`, into a copy of the sources under .local/ (its own .next), so that the
 * project's own build and tsconfig stay untouched.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collect, testRegistry } from "../helpers/chat";
import { expectedAnswer, MAGIC, replicaTokens, startReplicas, type Replicas } from "../helpers/replicas";
import { freePort } from "../helpers/ports";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const BUILD_DIR = path.join(ROOT, ".local", "canary-build");
const REGISTRY_FILE = path.join(ROOT, ".local", "canary-registry.json");
const NEXT_BIN = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");
const CANARY = "hf_CANARYtokenMustNeverLeak0123456789";
const SOURCES = ["app", "components", "lib", "public", "models.registry.json", "next.config.ts", "tsconfig.json", "postcss.config.mjs", "package.json"];
const TOKEN_DELAY_MS = 40;

let replicas: Replicas;
let server: ChildProcess | undefined;
let base = "";
let serverLog = "";
const bodies: string[] = [];

function copySources() {
  rmSync(BUILD_DIR, { recursive: true, force: true });
  mkdirSync(BUILD_DIR, { recursive: true });
  for (const entry of SOURCES) {
    const from = path.join(ROOT, entry);
    if (existsSync(from)) cpSync(from, path.join(BUILD_DIR, entry), { recursive: true });
  }
}

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) yield* files(full);
    else yield full;
  }
}

beforeAll(async () => {
  replicas = await startReplicas({
    only: ["tinyllama"],
    env: { REPLICA_TOKEN_DELAY_MS: String(TOKEN_DELAY_MS), REPLICA_SLOW_TOKEN_DELAY_MS: "60" },
  });
  mkdirSync(path.dirname(REGISTRY_FILE), { recursive: true });
  writeFileSync(REGISTRY_FILE, JSON.stringify(testRegistry(replicas.urls)));

  copySources();
  const env = { ...process.env, HF_TOKEN: CANARY, NEXT_TELEMETRY_DISABLED: "1" };
  await promisify(execFile)(process.execPath, [NEXT_BIN, "build"], { cwd: BUILD_DIR, env, maxBuffer: 64 * 1024 * 1024 });

  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(process.execPath, [NEXT_BIN, "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: BUILD_DIR,
    env: { ...env, MODELS_REGISTRY: REGISTRY_FILE, MODEL_SIZE_LIMIT_MB: "300000" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout!.on("data", (d: Buffer) => (serverLog += d.toString()));
  server.stderr!.on("data", (d: Buffer) => (serverLog += d.toString()));
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 300 || server.exitCode !== null) throw new Error(`next start did not come up:\n${serverLog}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}, 600_000);

afterAll(async () => {
  if (server?.exitCode === null) {
    const exited = new Promise((resolve) => server!.once("exit", resolve));
    server.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
    if (server.exitCode === null) server.kill("SIGKILL");
  }
  await replicas?.stop();
  rmSync(BUILD_DIR, { recursive: true, force: true });
  rmSync(REGISTRY_FILE, { force: true });
});

async function get(url: string, init?: RequestInit): Promise<Response> {
  const response = await fetch(`${base}${url}`, init);
  bodies.push(await response.clone().text());
  return response;
}

const postChat = (body: unknown, signal?: AbortSignal) =>
  fetch(`${base}/api/chat`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body), signal });

describe("the canary HF_TOKEN", () => {
  it("is in no file of the build output (none under .next/static, the browser's bundles)", () => {
    const out = path.join(BUILD_DIR, ".next");
    const staticFiles = [...files(path.join(out, "static"))];
    expect(staticFiles.length).toBeGreaterThan(0);
    const all = [...files(out)];
    const leaks = all.filter((file) => readFileSync(file).includes(CANARY));
    expect(leaks).toEqual([]);
    // The scan does find what is there: the registry's model names are in the build.
    expect(all.some((file) => readFileSync(file).includes("TinyLlama-1.1B-Chat"))).toBe(true);
  });

  it("is in no response body: pages, APIs, chat answers and chat errors", async () => {
    for (const url of ["/", "/chat/tinyllama-1.1b-chat", "/chat/qwen1.5-110b-chat", "/api/models", "/api/health", "/nope"]) await get(url);
    const chat = (body: unknown) =>
      get("/api/chat", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    await chat({ model: "tinyllama-1.1b-chat", messages: [{ role: "user", content: "hello" }] });
    await chat({ model: "tinyllama-1.1b-chat", messages: [{ role: "user", content: `${MAGIC.crashDuring} x` }] });
    await chat({ model: "tinyllama-1.1b-chat", messages: [{ role: "user", content: `${MAGIC.errorBefore} x` }] });
    await chat({ model: "tinyllama-1.1b-chat", messages: [] });
    await chat({ model: "nope", messages: [{ role: "user", content: "x" }] });
    expect(bodies.length).toBe(11);
    expect(bodies.some((b) => b.includes("event: done"))).toBe(true);
    expect(bodies.some((b) => b.includes("event: error"))).toBe(true);
    for (const body of bodies) expect(body).not.toContain(CANARY);
    // Nor in the server's log (errors above were logged).
    expect(serverLog).toContain('"scope":"chat"');
    expect(serverLog).not.toContain(CANARY);
  });
});

describe("streaming over HTTP", () => {
  it("flushes each delta as it comes: nothing buffered by Next or a compressor", async () => {
    const response = await postChat({ model: "tinyllama-1.1b-chat", messages: [{ role: "user", content: "stream please" }] });
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    expect(response.headers.get("content-encoding")).toBeNull();
    const arrivals: number[] = [];
    const result = await collect(response, (event) => void (event.event === "delta" && arrivals.push(performance.now())));
    const answer = expectedAnswer.tinyllama({ message: "stream please", earlierTurns: 0, maxNewTokens: 250, temperature: 0.7, topP: 0.9 });
    expect(result.text).toBe(answer);
    const tokens = replicaTokens(answer).length;
    expect(arrivals).toHaveLength(tokens);
    // Generation takes ~tokens × 40 ms; buffered output would arrive all at once at the end.
    const spread = arrivals.at(-1)! - arrivals[0]!;
    expect(spread).toBeGreaterThan((tokens - 1) * TOKEN_DELAY_MS * 0.5);
    const distinctArrivals = new Set(arrivals.map((t) => Math.round(t / 5))).size;
    expect(distinctArrivals).toBeGreaterThan(tokens / 3);
  });

  it("Stop (the client aborts its fetch) cancels the job on the Space", async () => {
    await replicas.reset("tinyllama");
    const stop = new AbortController();
    const response = await postChat({ model: "tinyllama-1.1b-chat", messages: [{ role: "user", content: `${MAGIC.slow} go` }] }, stop.signal);
    const result = await collect(response, (event, sofar) => (event.event === "delta" && sofar.deltas.length === 3 ? "stop" : undefined), stop);
    const stoppedAt = Date.now();
    expect(result.deltas).toHaveLength(3);
    const job = await replicas.waitForEvent("tinyllama", (e) => e.status !== "running", 10_000);
    expect(job.status).toBe("cancelled");
    expect(job.ended_at! - stoppedAt).toBeLessThan(5_000); // a [[slow]] answer runs ~12 s
    expect(job.tokens_sent).toBeLessThan(100); // of 200+
  });
});
