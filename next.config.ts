import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // The Docker image runs `node server.js` from .next/standalone (see Dockerfile). `next start`
  // still serves the same build (it only logs a warning), so tests and the image share one build.
  // Vercel's builder ignores the standalone tree, and Next 16.3 failed there when it was on
  // (vercel/next.js#96646), so it stays off under Vercel (VERCEL=1 at build). docs/deploy.md.
  output: process.env.VERCEL ? undefined : "standalone",
  // The registry is read at run time (operators edit it without rebuilding), so make sure the
  // server bundle carries it when traced for Vercel or the standalone output.
  outputFileTracingIncludes: { "/**": ["./models.registry.json"] },
  poweredByHeader: false,
};

export default nextConfig;
