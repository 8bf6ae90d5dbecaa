import { useEffect, useSyncExternalStore } from "react";
import { useChatStore } from "./chat";

const subscribe = (onChange: () => void) => useChatStore.persist.onFinishHydration(onChange);
const hydrated = () => useChatStore.persist.hasHydrated();

/**
 * Loads the persisted conversations after the first render (the server has none, so rendering
 * them during hydration would not match), and tells whether they are there yet.
 */
export function useHydratedChatStore(): boolean {
  const done = useSyncExternalStore(subscribe, hydrated, () => false);
  useEffect(() => {
    if (!useChatStore.persist.hasHydrated()) void useChatStore.persist.rehydrate();
  }, []);
  return done;
}
