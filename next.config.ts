import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // The registry is read at run time (operators edit it without rebuilding), so make sure the
  // server bundle carries it when traced for Vercel or the standalone output.
  outputFileTracingIncludes: { "/**": ["./models.registry.json"] },
  poweredByHeader: false,
};

export default nextConfig;
