"use client";

import type { StatusEvent } from "@/lib/stream/events";

/** What the wait is about: Gradio's queue position and ETA, or a Space waking up. */
export function describeStatus(status: StatusEvent | undefined): string {
  if (!status) return "Connecting…";
  switch (status.stage) {
    case "connecting":
      return status.message ?? "Connecting…";
    case "waking":
      return status.message ?? "The Space is waking up. The first answer can take a minute.";
    case "queued": {
      const parts: string[] = [];
      // `position` counts the jobs ahead (Gradio's rank): 0 means this one runs next.
      if (status.position === 0) parts.push("In queue: next up");
      else if (status.position !== undefined) parts.push(`In queue: ${status.position} ahead of you`);
      else parts.push("In queue");
      if (status.queueSize) parts.push(`${status.queueSize} waiting`);
      if (status.etaSeconds !== undefined) parts.push(`about ${Math.max(1, Math.round(status.etaSeconds))} s`);
      return parts.join(" · ");
    }
    case "generating":
      return "Generating…";
  }
}

export function StatusLine({ status }: { status: StatusEvent | undefined }) {
  return (
    <p role="status" className="mt-1 flex items-center gap-2 text-sm text-neutral-500 dark:text-neutral-400">
      <span className="inline-block size-2 animate-pulse rounded-full bg-accent-500" aria-hidden="true" />
      {describeStatus(status)}
    </p>
  );
}
