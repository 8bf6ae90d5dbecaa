import { describe, expect, it } from "vitest";
import { MAX_REQUEST_BYTES, MAX_REQUEST_MESSAGES, paramsFor, requestMessages } from "@/lib/client/send";
import type { Message } from "@/lib/store/types";

let n = 0;
const msg = (role: Message["role"], content: string, status?: Message["status"]): Message => ({
  id: `m${n++}`,
  role,
  content,
  createdAt: 0,
  ...(status ? { status } : {}),
});

describe("the request built from the store", () => {
  it("puts the system prompt first and leaves out empty and streaming answers", () => {
    const messages = [
      msg("user", "hi"),
      msg("assistant", "", "error"),
      msg("user", "again"),
      msg("assistant", "partial", "stopped"),
      msg("user", "more"),
      msg("assistant", "", "streaming"),
    ];
    expect(requestMessages(messages, "  Be brief. ")).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "hi" },
      { role: "user", content: "again" },
      { role: "assistant", content: "partial" },
      { role: "user", content: "more" },
    ]);
    expect(requestMessages(messages)[0]).toEqual({ role: "user", content: "hi" });
  });

  it("keeps the newest whole exchanges when the conversation is too long for one request", () => {
    const long = "x".repeat(4000);
    const messages = Array.from({ length: 40 }, (_, i) => msg(i % 2 ? "assistant" : "user", `${i}:${long}`));
    messages.push(msg("user", "last question"));
    const sent = requestMessages(messages, "system");
    expect(JSON.stringify(sent).length).toBeLessThan(MAX_REQUEST_BYTES);
    expect(sent[0]).toEqual({ role: "system", content: "system" });
    expect(sent[1]!.role).toBe("user");
    expect(sent.at(-1)).toEqual({ role: "user", content: "last question" });

    const many = Array.from({ length: 300 }, (_, i) => msg(i % 2 ? "assistant" : "user", String(i)));
    many.push(msg("user", "end"));
    expect(requestMessages(many).length).toBeLessThanOrEqual(MAX_REQUEST_MESSAGES);
  });

  it("sends every setting, defaults for unset or out-of-range values, integers rounded", () => {
    const model = {
      id: "m",
      takesSystemPrompt: false,
      settings: [
        { key: "max_new_tokens", min: 50, max: 1000, default: 250, integer: true },
        { key: "temperature", min: 0, max: 1, default: 0.7 },
        { key: "top_p", min: 0.1, max: 1, default: 0.9 },
      ],
    };
    expect(paramsFor(model, { max_new_tokens: 300.4, temperature: 3 })).toEqual({ max_new_tokens: 300, temperature: 0.7, top_p: 0.9 });
    expect(paramsFor(model, undefined)).toEqual({ max_new_tokens: 250, temperature: 0.7, top_p: 0.9 });
  });
});
