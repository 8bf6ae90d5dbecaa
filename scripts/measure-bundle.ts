/**
 * First Load JS per route, gzipped, from the built chunks (Next 16 no longer prints it).
 * A benchmark, not a test: `npx tsx scripts/measure-bundle.ts [--json]` after `npx next build`.
 *
 * Source: `.next/diagnostics/route-bundle-stats.json`, which the build writes with each route's
 * first-load chunk list (the chunks the HTML loads before the page is interactive). Chunks loaded
 * later with import() (highlighting, export, the stream decoder) are not in it, by design.
 * Each chunk is gzipped at level 9 like a CDN would serve it; the budget is 180 KB for a model page.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

const ROOT = process.cwd();
const STATS = path.join(ROOT, ".next", "diagnostics", "route-bundle-stats.json");
const BUDGET_KB = 180;

type RouteStats = { route: string; firstLoadUncompressedJsBytes: number; firstLoadChunkPaths: string[] };

if (!existsSync(STATS)) {
  console.error(`No ${path.relative(ROOT, STATS)}: run \`npx next build\` first.`);
  process.exit(1);
}

const routes = JSON.parse(readFileSync(STATS, "utf8")) as RouteStats[];
const gzipCache = new Map<string, number>();
const gz = (file: string) => {
  let size = gzipCache.get(file);
  if (size === undefined) {
    size = gzipSync(readFileSync(path.join(ROOT, file)), { level: 9 }).length;
    gzipCache.set(file, size);
  }
  return size;
};

const rows = routes.map((r) => {
  const gzipBytes = r.firstLoadChunkPaths.reduce((sum, file) => sum + gz(file), 0);
  return { route: r.route, chunks: r.firstLoadChunkPaths.length, rawBytes: r.firstLoadUncompressedJsBytes, gzipBytes };
});

if (process.argv.includes("--json")) {
  console.log(JSON.stringify({ budgetKB: BUDGET_KB, routes: rows }, null, 2));
} else {
  const kb = (b: number) => (b / 1024).toFixed(1).padStart(7);
  console.log(`${"route".padEnd(28)} ${"chunks".padStart(6)} ${"raw KB".padStart(7)} ${"gzip KB".padStart(7)}`);
  for (const r of rows) console.log(`${r.route.padEnd(28)} ${String(r.chunks).padStart(6)} ${kb(r.rawBytes)} ${kb(r.gzipBytes)}`);
  const model = rows.find((r) => r.route === "/chat/[model]");
  if (model) {
    const verdict = model.gzipBytes / 1024 <= BUDGET_KB ? "within" : "OVER";
    console.log(`\nModel page First Load JS: ${(model.gzipBytes / 1024).toFixed(1)} KB gzip (${verdict} the ${BUDGET_KB} KB budget)`);
  }
}
