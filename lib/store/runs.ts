import { create } from "zustand";
import type { StatusEvent } from "../stream/events";

/**
 * Answers in flight, one per conversation at most. Not persisted: after a reload nothing is in
 * flight (the store marks a cut-off answer `interrupted`).
 */
export type Run = {
  messageId: string;
  /** The last status the server sent (queue position, waking up...) until text arrives. */
  status?: StatusEvent;
  hasText: boolean;
};

type RunState = {
  runs: Record<string, Run>;
  setRun(conversationId: string, run: Run | undefined): void;
  patchRun(conversationId: string, patch: Partial<Run>): void;
};

export const useRunStore = create<RunState>()((set) => ({
  runs: {},
  setRun(conversationId, run) {
    set((s) => {
      const runs = { ...s.runs };
      if (run) runs[conversationId] = run;
      else delete runs[conversationId];
      return { runs };
    });
  },
  patchRun(conversationId, patch) {
    set((s) => {
      const run = s.runs[conversationId];
      return run ? { runs: { ...s.runs, [conversationId]: { ...run, ...patch } } } : {};
    });
  },
}));
