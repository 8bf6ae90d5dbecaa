import type { PersistStorage, StorageValue } from "zustand/middleware";

/**
 * A zustand PersistStorage over localStorage that writes at once when the app is idle and at
 * most every `intervalMs` while `isBusy(state)` (an answer is streaming): serializing every
 * conversation per token would make each token cost as much as the whole history. Pending
 * writes are flushed when the page is hidden or closed, so a reload keeps the partial answer.
 */
export type ThrottledStorage<S> = PersistStorage<S> & { flush(): void };

export function throttledStorage<S>(
  isBusy: (state: S) => boolean,
  intervalMs = 1000,
  storage: () => Storage | undefined = () => (typeof window === "undefined" ? undefined : window.localStorage),
): ThrottledStorage<S> {
  let pending: { name: string; value: StorageValue<S> } | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let listening = false;

  const flush = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const item = pending;
    pending = undefined;
    if (!item) return;
    try {
      storage()?.setItem(item.name, JSON.stringify(item.value));
    } catch (error) {
      // Quota exceeded or storage disabled: the chat goes on in memory.
      console.warn("Could not save the conversations in this browser", error);
    }
  };

  const listen = () => {
    if (listening || typeof window === "undefined") return;
    listening = true;
    window.addEventListener("pagehide", flush);
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") flush();
    });
  };

  return {
    getItem(name) {
      listen();
      const text = storage()?.getItem(name);
      if (!text) return null;
      try {
        return JSON.parse(text) as StorageValue<S>;
      } catch {
        return null; // unreadable data is treated as none; the next write replaces it
      }
    },
    setItem(name, value) {
      listen();
      pending = { name, value };
      if (!isBusy(value.state)) flush();
      else if (timer === undefined) timer = setTimeout(flush, intervalMs);
    },
    removeItem(name) {
      pending = undefined;
      storage()?.removeItem(name);
    },
    flush,
  };
}
