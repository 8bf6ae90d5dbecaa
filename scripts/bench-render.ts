/**
 * Rendering cost per streamed token, early in a long answer vs late in it (a benchmark, not a
 * test). The design budget: the cost per token must not grow with the answer's length.
 *
 *   npx tsx scripts/bench-render.ts [appUrl]     (default http://127.0.0.1:3000, the built app)
 *
 * A local SSE server stands in for /api/chat (the page's request is re-routed to it) and streams
 * BENCH_DELTAS (2000) deltas of markdown (paragraphs, lists, code, tables) one per
 * BENCH_INTERVAL_MS (16, about one per frame, so the page is not saturated and cost per delta is
 * cost per frame). Chromium's own counters (CDP Performance.getMetrics: script, style and layout
 * time) are summed over an early and a late window of the same number of deltas; the ratio
 * late/early should stay near 1 while the answer grows several times longer.
 *
 * What it caught: sibling selectors (`.markdown > * + *`) made every token re-style the whole
 * answer, and one flat list of blocks made every finished block re-lay out all of them.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { chromium } from "playwright-core";

const APP = process.argv[2] ?? "http://127.0.0.1:3000";
const DELTAS = Number(process.env.BENCH_DELTAS ?? 2000);
const INTERVAL_MS = Number(process.env.BENCH_INTERVAL_MS ?? 16);
const WINDOW = 300;
const WINDOWS = { early: [200, 200 + WINDOW], late: [DELTAS - WINDOW - 100, DELTAS - 100] } as const;

const PIECES = [
  "Here is some **bold** text and `inline code` in a sentence that goes on. ",
  "More words follow to make the paragraph long enough to wrap. ",
  "\n\n- a list item with [a link](https://example.com)\n- another item\n\n",
  "```python\ndef step(x):\n    return x * 2\n```\n\n",
  "A new paragraph starts here with a table:\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n",
];

function startStream(): Promise<{ url: string; sent: () => number; close: () => void }> {
  let sent = 0;
  const server = http.createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/event-stream", "access-control-allow-origin": "*" });
    res.write(`event: status\ndata: {"stage":"generating"}\n\n`);
    let i = 0;
    const timer = setInterval(() => {
      if (i === DELTAS) {
        clearInterval(timer);
        res.end(`event: done\ndata: {"finishReason":"stop","elapsedMs":1,"chars":1}\n\n`);
        return;
      }
      res.write(`event: delta\ndata: ${JSON.stringify({ text: PIECES[i % PIECES.length] })}\n\n`);
      sent = ++i;
    }, INTERVAL_MS);
    req.on("close", () => clearInterval(timer));
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}/`, sent: () => sent, close: () => server.close() });
    }),
  );
}

async function main() {
  const stream = await startStream();
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.route("**/api/chat", (route) => route.continue({ url: stream.url }));
    const models = (await (await page.request.get(`${APP}/api/models`)).json()) as { defaultModel: string };
    await page.goto(`${APP}/chat/${models.defaultModel}`);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Performance.enable");
    const metrics = async () => {
      const { metrics: m } = (await cdp.send("Performance.getMetrics")) as { metrics: Array<{ name: string; value: number }> };
      const get = (name: string) => m.find((x) => x.name === name)?.value ?? 0;
      return { script: get("ScriptDuration"), style: get("RecalcStyleDuration"), layout: get("LayoutDuration") };
    };
    const waitFor = async (n: number) => {
      while (stream.sent() < n) await new Promise((r) => setTimeout(r, 2));
    };

    await page.getByRole("textbox", { name: "Message" }).fill("benchmark");
    await page.getByRole("button", { name: "Send" }).click();

    const results: Record<string, { script: number; style: number; layout: number; chars: number }> = {};
    for (const [name, [from, to]] of Object.entries(WINDOWS)) {
      await waitFor(from);
      const a = await metrics();
      const charsA = await page.evaluate(() => document.querySelector('article[aria-label^="assistant"] .markdown')?.textContent?.length ?? 0);
      await waitFor(to);
      const b = await metrics();
      results[name] = {
        script: ((b.script - a.script) * 1000) / WINDOW,
        style: ((b.style - a.style) * 1000) / WINDOW,
        layout: ((b.layout - a.layout) * 1000) / WINDOW,
        chars: charsA,
      };
    }
    await page.getByRole("article", { name: /^assistant message$/ }).waitFor({ timeout: 60_000 });

    const fmt = (n: number) => n.toFixed(3).padStart(7);
    console.log(`${DELTAS} deltas, one every ${INTERVAL_MS} ms; cost per delta in ms (main thread)`);
    console.log(`window   answer chars   script    style   layout    total`);
    for (const [name, r] of Object.entries(results)) {
      console.log(`${name.padEnd(8)} ${String(r.chars).padStart(12)} ${fmt(r.script)} ${fmt(r.style)} ${fmt(r.layout)} ${fmt(r.script + r.style + r.layout)}`);
    }
    const total = (r: { script: number; style: number; layout: number }) => r.script + r.style + r.layout;
    console.log(`late/early ratio: ${(total(results.late!) / total(results.early!)).toFixed(2)} ` +
      `(answer ${Math.round(results.late!.chars / Math.max(1, results.early!.chars))}x longer)`);
  } finally {
    await browser.close();
    stream.close();
  }
}

void main();
