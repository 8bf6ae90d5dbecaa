import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { STORE_VERSION, migrateChatData, sanitizeChatData } from "@/lib/store/migrate";
import { throttledStorage } from "@/lib/store/throttled-storage";

/** A Storage in memory that counts writes (the tests run in Node, without a browser). */
class MemoryStorage implements Storage {
  map = new Map<string, string>();
  writes = 0;
  get length() {
    return this.map.size;
  }
  clear() {
    this.map.clear();
  }
  getItem(key: string) {
    return this.map.get(key) ?? null;
  }
  key(i: number) {
    return [...this.map.keys()][i] ?? null;
  }
  removeItem(key: string) {
    this.map.delete(key);
  }
  setItem(key: string, value: string) {
    this.writes++;
    this.map.set(key, value);
  }
}

type StoreModule = typeof import("@/lib/store/chat");
let storage: MemoryStorage;
let listeners: Record<string, Array<() => void>>;

/** A fresh copy of the store module, as a new page load would have. */
async function loadStore(): Promise<StoreModule> {
  vi.resetModules();
  const mod = await import("@/lib/store/chat");
  await mod.useChatStore.persist.rehydrate();
  return mod;
}

const persisted = () => JSON.parse(storage.getItem("variabot-chat") ?? "null") as { state: unknown; version: number };

beforeEach(() => {
  storage = new MemoryStorage();
  listeners = {};
  const on = (type: string, fn: () => void) => (listeners[type] ??= []).push(fn);
  vi.stubGlobal("window", { localStorage: storage, addEventListener: on });
  vi.stubGlobal("document", { addEventListener: on, visibilityState: "visible" });
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe("chat store persistence", () => {
  it("saves conversations and finds them again after a reload", async () => {
    const { useChatStore } = await loadStore();
    const s = useChatStore.getState();
    const id = s.createConversation("tinyllama-1.1b-chat");
    s.addMessage(id, { role: "user", content: "What is an AI model?" });
    const answer = s.addMessage(id, { role: "assistant", content: "", status: "streaming" });
    s.appendToMessage(id, answer, "A model is ");
    s.appendToMessage(id, answer, "a function.");
    s.finishMessage(id, answer, { status: "done", stats: { elapsedMs: 1000, chars: 22 } });
    s.setSystemPrompt(id, "Be brief.");
    s.setSetting("tinyllama-1.1b-chat", "temperature", 0.2);

    expect(persisted().version).toBe(STORE_VERSION);

    const reloaded = (await loadStore()).useChatStore.getState();
    const c = reloaded.conversations[id]!;
    expect(c.title).toBe("What is an AI model?");
    expect(c.systemPrompt).toBe("Be brief.");
    expect(c.messages.map((m) => [m.role, m.content, m.status])).toEqual([
      ["user", "What is an AI model?", undefined],
      ["assistant", "A model is a function.", "done"],
    ]);
    expect(reloaded.activeByModel["tinyllama-1.1b-chat"]).toBe(id);
    expect(reloaded.settingsByModel["tinyllama-1.1b-chat"]).toEqual({ temperature: 0.2 });
  });

  it("renames, deletes and replaces a cut-off delta", async () => {
    const { useChatStore } = await loadStore();
    const s = useChatStore.getState();
    const a = s.createConversation("m");
    const b = s.createConversation("m");
    s.renameConversation(a, "  My   chat ");
    s.deleteConversation(b);
    const msg = s.addMessage(a, { role: "assistant", content: "Hello wrold", status: "streaming" });
    s.appendToMessage(a, msg, "world!", 6);
    const state = useChatStore.getState();
    expect(state.conversations[a]!.title).toBe("My chat");
    expect(state.conversations[b]).toBeUndefined();
    expect(state.activeByModel.m).toBeUndefined(); // b was open; a new chat is now
    expect(state.conversations[a]!.messages[0]!.content).toBe("Hello world!");
  });

  it("writes at most once a second while an answer streams, and at once when it ends", async () => {
    vi.useFakeTimers();
    const { useChatStore } = await loadStore();
    const s = useChatStore.getState();
    const id = s.createConversation("m");
    const msg = s.addMessage(id, { role: "assistant", content: "", status: "streaming" });
    const before = storage.writes;
    for (let i = 0; i < 500; i++) s.appendToMessage(id, msg, "token ");
    expect(storage.writes - before).toBeLessThanOrEqual(1);
    vi.advanceTimersByTime(1000);
    expect(storage.writes - before).toBe(1);
    const saved = persisted().state as { conversations: Record<string, { messages: Array<{ content: string }> }> };
    expect(saved.conversations[id]!.messages[0]!.content).toBe("token ".repeat(500));

    s.appendToMessage(id, msg, "last");
    s.finishMessage(id, msg, { status: "done" });
    const afterEnd = persisted().state as { conversations: Record<string, { messages: Array<{ content: string; status: string }> }> };
    expect(afterEnd.conversations[id]!.messages[0]).toMatchObject({ status: "done", content: "token ".repeat(500) + "last" });
  });

  it("flushes a pending write when the page is hidden or closed", async () => {
    vi.useFakeTimers();
    const { useChatStore } = await loadStore();
    const s = useChatStore.getState();
    const id = s.createConversation("m");
    const msg = s.addMessage(id, { role: "assistant", content: "", status: "streaming" });
    s.appendToMessage(id, msg, "partial answer");
    listeners.pagehide?.forEach((fn) => fn());
    const saved = persisted().state as { conversations: Record<string, { messages: Array<{ content: string }> }> };
    expect(saved.conversations[id]!.messages[0]!.content).toBe("partial answer");
  });

  it("keeps the partial answer of a crash mid-answer, marked interrupted", async () => {
    vi.useFakeTimers();
    const first = (await loadStore()).useChatStore.getState();
    const id = first.createConversation("m");
    first.addMessage(id, { role: "user", content: "Tell me a story" });
    const msg = first.addMessage(id, { role: "assistant", content: "", status: "streaming" });
    first.appendToMessage(id, msg, "Once upon a time");
    vi.advanceTimersByTime(1000); // the throttled write happens; then the tab dies

    const after = (await loadStore()).useChatStore.getState();
    expect(after.conversations[id]!.messages[1]).toMatchObject({ content: "Once upon a time", status: "interrupted" });
  });

  it("migrates version 1 data found in the browser", async () => {
    storage.setItem(
      "variabot-chat",
      JSON.stringify({
        version: 1,
        state: {
          conversations: [
            {
              id: "old",
              model: "codet5-small",
              title: "Sorting",
              messages: [
                { role: "user", content: "sort a list" },
                { role: "assistant", content: "sorted(xs)" },
              ],
            },
          ],
        },
      }),
    );
    const { useChatStore } = await loadStore();
    const c = useChatStore.getState().conversations.old!;
    expect(c).toMatchObject({ modelId: "codet5-small", title: "Sorting", systemPrompt: "" });
    expect(c.messages.map((m) => [m.role, m.content, m.status])).toEqual([
      ["user", "sort a list", undefined],
      ["assistant", "sorted(xs)", "done"],
    ]);
    expect(c.messages.every((m) => typeof m.id === "string")).toBe(true);
    expect(persisted().version).toBe(STORE_VERSION);
  });

  it("starts empty on unreadable stored data", async () => {
    storage.setItem("variabot-chat", "{not json");
    const { useChatStore } = await loadStore();
    expect(useChatStore.getState().conversations).toEqual({});
  });
});

describe("migration and sanitizing", () => {
  it("turns v1 into the current shape", () => {
    const data = migrateChatData({ conversations: [{ model: "m", messages: [{ role: "user", content: "hi" }, { role: "system", content: "x" }] }] }, 1, 5);
    const [c] = Object.values(data.conversations);
    expect(c).toMatchObject({ modelId: "m", title: "Untitled chat", createdAt: 5 });
    expect(c!.messages).toHaveLength(1);
  });

  it("keeps what is sound and drops the rest", () => {
    const data = sanitizeChatData({
      conversations: {
        good: {
          modelId: "m",
          title: "t",
          messages: [
            { id: "1", role: "assistant", content: "x", status: "bogus", error: { message: "boom" } },
            { id: "2", role: "robot", content: "y" },
            "junk",
          ],
        },
        bad: { title: "no model" },
      },
      activeByModel: { m: "good", other: "good", gone: "missing" },
      settingsByModel: { m: { temperature: 0.5, top_p: "high", n: Infinity } },
    });
    expect(Object.keys(data.conversations)).toEqual(["good"]);
    expect(data.conversations.good!.messages).toEqual([
      { id: "1", role: "assistant", content: "x", createdAt: 0, status: "done", error: { code: "internal", message: "boom", retryable: false } },
    ]);
    expect(data.activeByModel).toEqual({ m: "good" });
    expect(data.settingsByModel).toEqual({ m: { temperature: 0.5 } });
  });

  it("throttledStorage writes immediately when idle", () => {
    const mem = new MemoryStorage();
    const s = throttledStorage<{ busy: boolean }>((st) => st.busy, 1000, () => mem);
    s.setItem("k", { state: { busy: false }, version: 2 });
    expect(mem.writes).toBe(1);
    s.setItem("k", { state: { busy: true }, version: 2 });
    expect(mem.writes).toBe(1);
    s.flush();
    expect(JSON.parse(mem.getItem("k")!)).toEqual({ state: { busy: true }, version: 2 });
  });
});
