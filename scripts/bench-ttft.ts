/**
 * Time to first token: a direct, warm @gradio/client call versus our /api/chat route, against the
 * same local replica. Prints medians; asserts nothing (the design budget is route <= 1.25x direct).
 *
 *   npx tsx scripts/bench-ttft.ts                      # starts a tinyllama replica, route in-process
 *   npx tsx scripts/bench-ttft.ts --runs 40 --delay 0  # more runs; replica token delay 0 ms
 *   npx tsx scripts/bench-ttft.ts --http http://127.0.0.1:3000 --replica http://127.0.0.1:7864
 *       # the route over HTTP against a running `next start` whose registry points at that
 *       # replica (scripts/demo.sh serves exactly that)
 *
 * In-process, the route's modules import "server-only", which resolves to an empty module only
 * under the "react-server" export condition: the script re-runs itself with it.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const self = fileURLToPath(import.meta.url);

if (!process.env.BENCH_TTFT_CHILD && !process.execArgv.some((a) => a.includes("react-server"))) {
  const child = spawn(process.execPath, [...process.execArgv, "--conditions=react-server", self, ...process.argv.slice(2)], {
    stdio: "inherit",
    env: { ...process.env, BENCH_TTFT_CHILD: "1" },
  });
  child.on("exit", (code) => process.exit(code ?? 1));
} else {
  await main();
}

async function main() {
  const { values } = parseArgs({
    options: {
      runs: { type: "string", default: "20" },
      warmup: { type: "string", default: "3" },
      delay: { type: "string", default: "30" },
      http: { type: "string" },
      replica: { type: "string" },
    },
  });
  const runs = Number(values.runs);
  const warmup = Number(values.warmup);
  const { Client } = await import("@gradio/client");
  const { readChatEvents } = await import("../lib/stream/decode");

  let stopReplica: (() => Promise<void>) | undefined;
  let replicaUrl = values.replica;
  if (!replicaUrl) {
    const { startReplicas } = await import("../tests/helpers/replicas");
    const replicas = await startReplicas({ only: ["tinyllama"], env: { REPLICA_TOKEN_DELAY_MS: values.delay } });
    replicaUrl = replicas.urls.tinyllama;
    stopReplica = replicas.stop;
  }

  let postChat: (body: unknown) => Promise<Response>;
  if (values.http) {
    const base = values.http;
    postChat = (body) =>
      fetch(`${base}/api/chat`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  } else {
    const registryFile = path.join(mkdtempSync(path.join(os.tmpdir(), "bench-registry-")), "models.registry.json");
    const { testRegistry } = await import("../tests/helpers/chat");
    writeFileSync(registryFile, JSON.stringify(testRegistry({ tinyllama: replicaUrl })));
    process.env.MODELS_REGISTRY = registryFile;
    const { handleChat } = await import("../lib/chat/handler");
    postChat = (body) =>
      handleChat(
        new Request("http://localhost/api/chat", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) }),
      );
  }

  const client = await Client.connect(replicaUrl, { events: ["data", "status"] });
  const params = [250, 0.7, 0.9];

  async function direct(message: string): Promise<number> {
    const started = performance.now();
    let first = 0;
    for await (const event of client.submit("/chat", [message, ...params])) {
      if (!first && event.type === "data" && typeof event.data[0] === "string" && event.data[0].length > 0) {
        first = performance.now() - started;
      }
      if (event.type === "status" && (event.stage === "complete" || event.stage === "error")) break;
    }
    return first;
  }

  async function route(message: string): Promise<number> {
    const started = performance.now();
    const response = await postChat({ model: "tinyllama-1.1b-chat", messages: [{ role: "user", content: message }] });
    let first = 0;
    for await (const event of readChatEvents(response.body!)) {
      if (!first && event.event === "delta") first = performance.now() - started;
      if (event.event === "error") throw new Error(`route error: ${JSON.stringify(event.data)}`);
    }
    return first;
  }

  for (let i = 0; i < warmup; i++) {
    await direct(`warm ${i}`);
    await route(`warm ${i}`);
  }
  const times = { direct: [] as number[], route: [] as number[] };
  for (let i = 0; i < runs; i++) {
    // Alternate, so drift on a busy machine hits both alike.
    times.direct.push(await direct(`bench ${i}`));
    times.route.push(await route(`bench ${i}`));
  }
  client.close();
  await stopReplica?.();

  const stats = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
    return { median: at(0.5), p90: at(0.9), min: s[0]! };
  };
  const d = stats(times.direct);
  const r = stats(times.route);
  const fmt = (x: number) => `${x.toFixed(1)} ms`;
  console.log(`TTFT over ${runs} runs (replica token delay ${values.http ? "as configured" : `${values.delay} ms`}; route ${values.http ? `over HTTP at ${values.http}` : "in-process"})`);
  console.log(`  direct @gradio/client (warm): median ${fmt(d.median)}  p90 ${fmt(d.p90)}  min ${fmt(d.min)}`);
  console.log(`  /api/chat route:              median ${fmt(r.median)}  p90 ${fmt(r.p90)}  min ${fmt(r.min)}`);
  console.log(`  ratio route/direct (median):  ${(r.median / d.median).toFixed(2)}x  (budget 1.25x)`);
  process.exit(0);
}
