/**
 * The standalone smoke test: proves that what the Docker image contains runs, on a machine with
 * no Docker engine. Run it after `next build` (scripts/test.sh does):
 *
 *   npx tsx scripts/smoke-standalone.ts [--keep] [--report file.json]
 *
 * 1. Replays the Dockerfile's final stage (tests/helpers/dockerfile.ts): its `COPY --from=builder`
 *    lines, and only those, copy .next/standalone, .next/static, public/ and the registry into a
 *    temp dir standing for /app. The Dockerfile is the one list; a file the image lacks is missing
 *    here too.
 * 2. Starts the stage's CMD (`node server.js`) there as one process in its own process group,
 *    with the stage's ENV and nothing else of this shell (PATH and a HOME only): no HF_TOKEN.
 *    Run as root (as CI is here), it also replays `COPY --chown` and runs the server as USER.
 * 3. The image as shipped: its HEALTHCHECK command, /api/health, /api/models (the registry found
 *    in the working directory), a model page with its JS, CSS and logo.
 * 4. The same tree with MODELS_REGISTRY naming a registry whose Spaces are local replicas
 *    (Hugging Face is unreachable here): POST /api/chat streams deltas and a done event that add
 *    up to the replica's exact answer.
 * Stops the server and the replicas and removes the temp dir in every case (--keep keeps the dir).
 * Exit 1 on any failure; the last line is "N passed, N failed".
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_REPLICA_URLS, localRegistry } from "./local-registry";
import { readChatEvents } from "../lib/stream/decode";
import type { ChatEvent } from "../lib/stream/events";
import { parseDockerfile, replayFinalStage, type RuntimeSpec } from "../tests/helpers/dockerfile";
import { freePort } from "../tests/helpers/ports";
import { expectedAnswer, startReplicas, waitForExit, type Replicas } from "../tests/helpers/replicas";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** The model the smoke chats with: active, under the size limit, streamed by its replica. */
const MODEL = { id: "tinyllama-1.1b-chat", name: "TinyLlama-1.1B-Chat", logo: "/logos/tinyllama.svg" };
const PROMPT = "Hello from the standalone smoke test";
/** Generous deadlines: they catch a hang, never a slow machine. */
const READY_TIMEOUT_MS = 60_000;
const REQUEST_TIMEOUT_MS = 30_000;
const CHAT_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 5_000;

type Result = { name: string; ok: boolean; ms: number; error?: string };
const results: Result[] = [];
/** Set by the first SIGINT/SIGTERM: the running server is stopped and every later check skipped. */
let interrupted: NodeJS.Signals | undefined;

async function check(name: string, fn: () => Promise<void> | void): Promise<boolean> {
  const started = performance.now();
  try {
    if (interrupted) throw new Error(`skipped: ${interrupted}`);
    await fn();
    const ms = Math.round(performance.now() - started);
    results.push({ name, ok: true, ms });
    console.log(`  ok   ${name} (${ms} ms)`);
    return true;
  } catch (error) {
    const ms = Math.round(performance.now() - started);
    const message = error instanceof Error ? error.message : String(error);
    results.push({ name, ok: false, ms, error: message });
    console.log(`  FAIL ${name} (${ms} ms)\n       ${message.replace(/\n/g, "\n       ")}`);
    return false;
  }
}

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

// --- the server ------------------------------------------------------------------------------

type Server = { base: string; child: ChildProcess; output: () => string };
/** Servers that are running, so that a signal can stop them. */
const live = new Set<Server>();

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "0.0.0.0", () => probe.close(() => resolve(true)));
  });
}

/** The image's port when it is free here; another one (said so) when something holds it. */
async function choosePort(imagePort: number): Promise<number> {
  if (await portIsFree(imagePort)) return imagePort;
  const port = await freePort("0.0.0.0");
  console.log(`  note port ${imagePort} is taken on this machine; the server listens on ${port} instead`);
  return port;
}

/** The container's environment: the image's ENV, a PATH to find `node`, a HOME; nothing else. */
function containerEnv(spec: RuntimeSpec, port: number, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: Record<string, string> = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: spec.workdir, ...spec.env, PORT: String(port), ...extra };
  // NODE_ENV comes from the image's ENV (the config test checks it is there).
  return env as NodeJS.ProcessEnv;
}

function exec(argv: string[]): [string, string[]] {
  // The image's `node` is this Node: the smoke runs under the major the Dockerfile names in CI.
  return [argv[0] === "node" ? process.execPath : argv[0]!, argv.slice(1)];
}

async function startServer(spec: RuntimeSpec, env: NodeJS.ProcessEnv): Promise<Server> {
  const [command, args] = exec(spec.cmd);
  const child = spawn(command, args, { cwd: spec.workdir, env, ...spec.user, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout!.on("data", (d: Buffer) => (log += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (log += d.toString()));
  const server = { base: `http://127.0.0.1:${env.PORT}`, child, output: () => log };
  live.add(server);

  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`\`${spec.cmd.join(" ")}\` exited (${child.exitCode ?? child.signalCode}) before answering:\n${log}`);
    }
    try {
      const res = await fetch(`${server.base}/api/health`, { signal: AbortSignal.timeout(2_000) });
      if (res.status > 0) return server;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stopServer(server);
      throw new Error(`No answer on ${server.base} within ${READY_TIMEOUT_MS} ms:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stopServer(server: Server): Promise<void> {
  live.delete(server);
  const pid = server.child.pid!;
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-pid, s);
    } catch {
      // already gone
    }
  };
  signal("SIGTERM");
  if (!(await waitForExit(server.child, STOP_GRACE_MS))) {
    signal("SIGKILL");
    await waitForExit(server.child, STOP_GRACE_MS);
  }
}

async function withServer(spec: RuntimeSpec, env: NodeJS.ProcessEnv, label: string, body: (s: Server) => Promise<void>) {
  let server: Server | undefined;
  const started = await check(`${label}: \`${spec.cmd.join(" ")}\` starts and answers`, async () => {
    server = await startServer(spec, env);
  });
  if (!started || !server) return;
  try {
    await body(server);
  } finally {
    await stopServer(server);
    if (results.some((r) => !r.ok)) console.log(`  --- server output (${label}) ---\n${server.output().trimEnd()}\n  ---`);
  }
}

async function get(server: Server, pathname: string): Promise<Response> {
  const res = await fetch(`${server.base}${pathname}`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS), redirect: "manual" });
  assert(res.ok, `GET ${pathname}: HTTP ${res.status}`);
  return res;
}

// --- the checks ------------------------------------------------------------------------------

function checkBuild(): Promise<boolean> {
  return check("`next build` made a standalone server of this build, with the registry traced", () => {
    const buildId = path.join(ROOT, ".next", "BUILD_ID");
    const standaloneId = path.join(ROOT, ".next", "standalone", ".next", "BUILD_ID");
    assert(existsSync(buildId), "No .next/BUILD_ID: run `npx next build` first");
    assert(existsSync(standaloneId), "No .next/standalone: next.config.ts must set output: \"standalone\" (was VERCEL set?)");
    assert(
      readFileSync(buildId, "utf8") === readFileSync(standaloneId, "utf8"),
      ".next/standalone is from an older build than .next: run `npx next build` again",
    );
    // Vercel packs each route from its trace: every server route must carry the registry.
    const appDir = path.join(ROOT, ".next", "server", "app");
    const traces = (readdirSync(appDir, { recursive: true }) as string[]).filter((f) => f.endsWith(".js.nft.json"));
    assert(traces.length > 0, "No route traces under .next/server/app");
    const missing = traces.filter((f) => {
      const { files } = JSON.parse(readFileSync(path.join(appDir, f), "utf8")) as { files: string[] };
      return !files.some((file) => path.basename(file) === "models.registry.json");
    });
    assert(missing.length === 0, `These route traces lack models.registry.json: ${missing.join(", ")}`);
    const traced = path.join(ROOT, ".next", "standalone", "models.registry.json");
    assert(existsSync(traced), "models.registry.json was not traced into .next/standalone");
    assert(
      readFileSync(traced, "utf8") === readFileSync(path.join(ROOT, "models.registry.json"), "utf8"),
      ".next/standalone/models.registry.json differs from models.registry.json",
    );
  });
}

async function shippedImageChecks(spec: RuntimeSpec, port: number) {
  const env = containerEnv(spec, port);
  await withServer(spec, env, "as shipped", async (server) => {
    if (spec.healthcheck) {
      const healthcheck = spec.healthcheck;
      await check(`the image's HEALTHCHECK passes`, async () => {
        const [command, args] = exec(healthcheck);
        const child = spawn(command, args, { cwd: spec.workdir, env, ...spec.user, stdio: "ignore" });
        assert(await waitForExit(child, REQUEST_TIMEOUT_MS), "HEALTHCHECK did not finish");
        assert(child.exitCode === 0, `HEALTHCHECK exited ${child.exitCode}`);
      });
    }
    await check("GET /api/health is JSON with status ok", async () => {
      const body = (await (await get(server, "/api/health")).json()) as { status?: string };
      assert(body.status === "ok", `status is ${JSON.stringify(body.status)}`);
    });
    await check("GET /api/models lists the shipped registry (read from the working directory)", async () => {
      const shipped = JSON.parse(readFileSync(path.join(ROOT, "models.registry.json"), "utf8")) as { models: { id: string }[] };
      const body = (await (await get(server, "/api/models")).json()) as { models: { id: string }[] };
      assert(
        JSON.stringify(body.models.map((m) => m.id)) === JSON.stringify(shipped.models.map((m) => m.id)),
        `ids ${body.models.map((m) => m.id).join(", ")}`,
      );
    });
    let html = "";
    await check(`GET /chat/${MODEL.id} is HTML naming ${MODEL.name}`, async () => {
      const res = await get(server, `/chat/${MODEL.id}`);
      assert(res.headers.get("content-type")?.includes("text/html"), `content-type ${res.headers.get("content-type")}`);
      html = await res.text();
      assert(html.includes(MODEL.name), `the page does not name ${MODEL.name}`);
    });
    await check("the page's JS and CSS are served (.next/static copied)", async () => {
      const assets = [...new Set(html.match(/\/_next\/static\/[^"'\s)]+\.(?:js|css)/g) ?? [])];
      assert(assets.some((a) => a.endsWith(".js")), "the page references no /_next/static JS");
      assert(assets.some((a) => a.endsWith(".css")), "the page references no /_next/static CSS");
      for (const asset of assets) await get(server, asset);
    });
    await check(`GET ${MODEL.logo} is served (public/ copied)`, async () => {
      const res = await get(server, MODEL.logo);
      assert(res.headers.get("content-type")?.includes("image/svg+xml"), `content-type ${res.headers.get("content-type")}`);
    });
  });
}

async function streamedAnswerChecks(spec: RuntimeSpec, port: number, registryFile: string) {
  const env = containerEnv(spec, port, { MODELS_REGISTRY: registryFile });
  await withServer(spec, env, "on the local replicas", async (server) => {
    await check("POST /api/chat streams the replica's answer as deltas, then done", async () => {
      const res = await fetch(`${server.base}/api/chat`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "text/event-stream" },
        body: JSON.stringify({
          model: MODEL.id,
          conversationId: "smoke-standalone",
          messages: [{ role: "user", content: PROMPT }],
          params: { max_new_tokens: 250, temperature: 0.7, top_p: 0.9 },
        }),
        signal: AbortSignal.timeout(CHAT_TIMEOUT_MS),
      });
      assert(res.ok && res.body, `HTTP ${res.status}: ${res.ok ? "" : (await res.text()).slice(0, 300)}`);
      assert(res.headers.get("content-type")?.includes("text/event-stream"), `content-type ${res.headers.get("content-type")}`);
      const events: ChatEvent[] = [];
      for await (const event of readChatEvents(res.body)) events.push(event);
      const names = events.map((e) => e.event);
      const deltas = events.flatMap((e) => (e.event === "delta" ? [e.data.text] : []));
      const last = events.at(-1);
      assert(last?.event === "done", `the stream ended with ${JSON.stringify(last)} (events: ${names.join(" ")})`);
      assert(last.data.finishReason === "stop", `finishReason ${last.data.finishReason}`);
      assert(deltas.length > 1, `${deltas.length} delta event(s): the answer was not streamed`);
      const expected = expectedAnswer.tinyllama({ message: PROMPT, earlierTurns: 0, maxNewTokens: 250, temperature: 0.7, topP: 0.9 });
      assert(deltas.join("") === expected, `the deltas add up to ${JSON.stringify(deltas.join(""))}, not ${JSON.stringify(expected)}`);
      assert(last.data.chars === expected.length, `done.chars is ${last.data.chars}, the answer has ${expected.length}`);
    });
  });
}

// --- main ------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const keep = argv.includes("--keep");
  const reportAt = argv.indexOf("--report");
  const report = reportAt === -1 ? undefined : argv[reportAt + 1];
  const started = performance.now();
  const dir = mkdtempSync(path.join(tmpdir(), "variabot-standalone-"));
  const app = path.join(dir, "app");
  let replicas: Replicas | undefined;
  // First signal: stop the server now and let the run unwind through its cleanup (the replicas
  // stop there, once started). A Ctrl-C reaches this process twice (from the terminal and relayed
  // by tsx), so only a signal a second later means "exit now, skip the cleanup".
  let firstSignalAt = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) {
      if (Date.now() - firstSignalAt > 1_000) process.exit(signal === "SIGINT" ? 130 : 143);
      return;
    }
    interrupted = signal;
    firstSignalAt = Date.now();
    console.log(`  ${signal}: stopping the server and the replicas`);
    for (const server of live) void stopServer(server);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  console.log("standalone smoke test (the Dockerfile's final stage, replayed without Docker)");
  try {
    if (await checkBuild()) {
      let spec: RuntimeSpec | undefined;
      const assembled = await check("the Dockerfile's final stage is replayed into a temp /app", () => {
        spec = replayFinalStage(parseDockerfile(readFileSync(path.join(ROOT, "Dockerfile"), "utf8")), ROOT, app);
        for (const file of ["server.js", "models.registry.json", ".next/BUILD_ID", ".next/static", "public"]) {
          assert(existsSync(path.join(app, file)), `${file} is missing from the assembled tree`);
        }
      });
      if (spec) {
        console.log(
          spec.user
            ? `  note the server runs as uid ${spec.user.uid}:${spec.user.gid}, the files owned as the COPY --chown lines say`
            : "  note not root: COPY --chown and USER are not replayed; the server runs as this user",
        );
      }
      if (assembled && spec) {
        const port = await choosePort(spec.port);
        await shippedImageChecks(spec, port);

        let registryFile: string | undefined;
        await check("the tinyllama replica starts", async () => {
          replicas = await startReplicas({ only: ["tinyllama"] });
          // Only TinyLlama is chatted with; the other models keep the replicas' default URLs.
          const urls = { ...DEFAULT_REPLICA_URLS, tinyllama: replicas.urls.tinyllama };
          registryFile = path.join(dir, "models.registry.local.json");
          writeFileSync(registryFile, JSON.stringify(localRegistry(urls), null, 2));
        });
        if (registryFile) await streamedAnswerChecks(spec, port, registryFile);
      }
    }
  } finally {
    for (const server of live) await stopServer(server);
    await replicas?.stop();
    if (keep) console.log(`  kept ${app}`);
    else rmSync(dir, { recursive: true, force: true });
  }

  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (report) writeFileSync(report, JSON.stringify({ passed, failed, seconds: Number(seconds), results }, null, 2));
  console.log(`standalone smoke test: ${seconds} s`);
  console.log(`${passed} passed, ${failed} failed`);
  if (interrupted) return interrupted === "SIGINT" ? 130 : 143;
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
