import { handleChat } from "@/lib/chat/handler";

// The request contract is lib/chat/schema.ts; the stream contract is lib/stream/events.ts.
export const runtime = "nodejs";
export const dynamic = "force-dynamic";
// Vercel: long answers and queue waits; UPSTREAM_TOTAL_TIMEOUT_MS (default 285 s) ends ours first.
export const maxDuration = 300;

export function POST(request: Request): Promise<Response> {
  return handleChat(request);
}
