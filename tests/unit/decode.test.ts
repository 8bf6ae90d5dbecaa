import { describe, expect, it } from "vitest";
import { StreamProtocolError, readChatEvents, toChatEvent } from "@/lib/stream/decode";
import { SSEParser } from "@/lib/stream/sse";
import type { ChatEvent } from "@/lib/stream/events";

const STREAM = [
  ": a comment, ignored",
  "event: status",
  'data: {"stage":"queued","position":1,"queueSize":3,"etaSeconds":2.5}',
  "",
  "event: delta",
  'data: {"text":"Hello, "}',
  "",
  "event: delta",
  'data: {"text":"wörld 🌍\\n"}',
  "",
  "event: done",
  'data: {"finishReason":"stop","elapsedMs":120,"chars":15}',
  "",
  "",
].join("\n");

const EXPECTED: ChatEvent[] = [
  { event: "status", data: { stage: "queued", position: 1, queueSize: 3, etaSeconds: 2.5 } },
  { event: "delta", data: { text: "Hello, " } },
  { event: "delta", data: { text: "wörld 🌍\n" } },
  { event: "done", data: { finishReason: "stop", elapsedMs: 120, chars: 15 } },
];

function parseAll(chunks: string[]): ChatEvent[] {
  const parser = new SSEParser();
  return chunks.flatMap((c) => parser.push(c)).flatMap((m) => toChatEvent(m) ?? []);
}

function bodyOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const c of chunks) controller.enqueue(c);
      controller.close();
    },
  });
}

async function collect(body: ReadableStream<Uint8Array>) {
  const out: ChatEvent[] = [];
  for await (const e of readChatEvents(body)) out.push(e);
  return out;
}

describe("SSE framing", () => {
  it("parses a whole stream in one chunk", () => {
    expect(parseAll([STREAM])).toEqual(EXPECTED);
  });

  it("gives the same events however the stream is split, down to single characters", () => {
    expect(parseAll([...STREAM])).toEqual(EXPECTED);
    for (let cut = 1; cut < STREAM.length; cut += 7) {
      expect(parseAll([STREAM.slice(0, cut), STREAM.slice(cut)])).toEqual(EXPECTED);
    }
  });

  it("accepts \\r\\n and \\r line ends, also when a \\r\\n is split between chunks", () => {
    const crlf = STREAM.replace(/\n/g, "\r\n");
    expect(parseAll([crlf])).toEqual(EXPECTED);
    expect(parseAll([...crlf])).toEqual(EXPECTED);
    expect(parseAll([STREAM.replace(/\n/g, "\r")])).toEqual(EXPECTED);
  });

  it("joins multi-line data with newlines and drops one leading space only", () => {
    const parser = new SSEParser();
    const messages = parser.push('event: delta\ndata: {"text":\ndata:  "two lines"}\n\n');
    expect(messages).toEqual([{ event: "delta", data: '{"text":\n "two lines"}' }]);
    expect(toChatEvent(messages[0]!)).toEqual({ event: "delta", data: { text: "two lines" } });
  });

  it("ignores comments, blank runs, id/retry fields and events without data", () => {
    const parser = new SSEParser();
    expect(parser.push(":keep-alive\n\n\nid: 7\nretry: 10\nevent: status\n\n")).toEqual([]);
    expect(parser.push('data: {"text":"x"}\n\n')).toEqual([{ event: "message", data: '{"text":"x"}' }]);
  });

  it("drops an unterminated last message", () => {
    expect(parseAll(['event: delta\ndata: {"text":"cut"}'])).toEqual([]);
  });
});

describe("event validation", () => {
  it("skips events it does not know (a newer server may add some)", () => {
    expect(toChatEvent({ event: "ping", data: "{}" })).toBeUndefined();
    expect(toChatEvent({ event: "message", data: '{"text":"x"}' })).toBeUndefined();
  });

  it("rejects data that is not JSON", () => {
    expect(() => toChatEvent({ event: "delta", data: "{text:" })).toThrow(StreamProtocolError);
  });

  it("rejects known events that break their schema", () => {
    expect(() => toChatEvent({ event: "delta", data: '{"text":5}' })).toThrow(/delta.*text/);
    expect(() => toChatEvent({ event: "status", data: '{"stage":"sleeping"}' })).toThrow(StreamProtocolError);
    expect(() => toChatEvent({ event: "done", data: '{"finishReason":"stop","elapsedMs":-1,"chars":0}' })).toThrow(
      StreamProtocolError,
    );
    expect(() => toChatEvent({ event: "error", data: '{"code":"nope","message":"x","retryable":true}' })).toThrow(
      StreamProtocolError,
    );
  });

  it("accepts an error event and a replacing delta", () => {
    expect(toChatEvent({ event: "error", data: '{"code":"queue_full","message":"Busy","retryable":true}' })).toEqual({
      event: "error",
      data: { code: "queue_full", message: "Busy", retryable: true },
    });
    expect(toChatEvent({ event: "delta", data: '{"text":"b","from":3}' })).toEqual({ event: "delta", data: { text: "b", from: 3 } });
  });
});

describe("readChatEvents", () => {
  it("decodes bytes, including a multi-byte character split between chunks", async () => {
    const bytes = new TextEncoder().encode(STREAM);
    const emoji = STREAM.indexOf("🌍");
    const cut = new TextEncoder().encode(STREAM.slice(0, emoji)).length + 2; // inside the 4-byte emoji
    expect(await collect(bodyOf([bytes.slice(0, cut), bytes.slice(cut)]))).toEqual(EXPECTED);
    expect(await collect(bodyOf([...bytes].map((b) => new Uint8Array([b]))))).toEqual(EXPECTED);
  });

  it("throws StreamProtocolError at a malformed event after yielding the good ones", async () => {
    const text = 'event: delta\ndata: {"text":"ok"}\n\nevent: delta\ndata: nope\n\n';
    const seen: ChatEvent[] = [];
    await expect(async () => {
      for await (const e of readChatEvents(bodyOf([new TextEncoder().encode(text)]))) seen.push(e);
    }).rejects.toThrow(StreamProtocolError);
    expect(seen).toEqual([{ event: "delta", data: { text: "ok" } }]);
  });

  it("cancels the body when the consumer stops early", async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new TextEncoder().encode('event: delta\ndata: {"text":"x"}\n\n'));
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const e of readChatEvents(body)) {
      expect(e.event).toBe("delta");
      break;
    }
    expect(cancelled).toBe(true);
  });
});
