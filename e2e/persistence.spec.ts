import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { assistantMessages, lastAnswerDone, openModel, send, tinyAnswer, unique, userMessages } from "./helpers";

test.describe("conversations are kept", () => {
  test("reload finds the conversation", async ({ page }) => {
    await openModel(page);
    const text = unique("remember me");
    await send(page, text);
    await lastAnswerDone(page);
    await page.reload();
    await expect(userMessages(page).first()).toContainText(text);
    await expect(assistantMessages(page).first()).toContainText(tinyAnswer(text));
    await expect(page.getByRole("navigation", { name: "Conversations" }).getByRole("button", { name: text, exact: true })).toHaveAttribute(
      "aria-current",
      "true",
    );
  });

  test("a crash mid-answer keeps the partial answer, marked interrupted", async ({ page }) => {
    // A crash gives the page no last chance to save: take away its pagehide/visibilitychange
    // handlers, so only what the throttled saves wrote while streaming can survive.
    await page.addInitScript(() => {
      for (const target of [window, document] as EventTarget[]) {
        const add = target.addEventListener.bind(target);
        target.addEventListener = (
          type: string,
          listener: EventListenerOrEventListenerObject | null,
          options?: boolean | AddEventListenerOptions,
        ) => {
          if (type !== "pagehide" && type !== "visibilitychange" && type !== "beforeunload") add(type, listener, options);
        };
      }
    });
    await openModel(page);
    const text = unique("[[slow]] crash test");
    await send(page, text);
    await expect(assistantMessages(page).first()).toContainText("tick");
    await page.waitForTimeout(1500); // a throttled save happens at most a second after a change
    await page.reload();
    const answer = assistantMessages(page).first();
    await expect(answer).toHaveAttribute("data-status", "interrupted");
    await expect(answer).toContainText(`You said: "${text}"`);
    await expect(answer).toContainText("Interrupted");
    await expect(answer.getByRole("button", { name: "Regenerate" })).toBeVisible();
  });

  test("exports a conversation as Markdown and as JSON", async ({ page }) => {
    await openModel(page);
    const text = unique("export me");
    await send(page, text);
    await lastAnswerDone(page);

    await page.getByText("Export", { exact: true }).click();
    const [md] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export Markdown" }).click()]);
    expect(md.suggestedFilename()).toMatch(/^variabot-tinyllama-1\.1b-chat-export-me-[a-z0-9-]+\.md$/);
    const markdown = readFileSync((await md.path())!, "utf8");
    expect(markdown).toContain(`# ${text}`);
    expect(markdown).toContain("- Model: TinyLlama-1.1B-Chat");
    expect(markdown).toContain(`## user\n\n${text}`);
    expect(markdown).toContain(`## assistant\n\n${tinyAnswer(text)}`);

    await page.getByText("Export", { exact: true }).click();
    const [json] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export JSON" }).click()]);
    const data = JSON.parse(readFileSync((await json.path())!, "utf8")) as {
      format: string;
      model: { id: string };
      conversation: { messages: Array<{ role: string; content: string; status?: string }> };
    };
    expect(data.format).toBe("variabot-conversation");
    expect(data.model.id).toBe("tinyllama-1.1b-chat");
    expect(data.conversation.messages).toMatchObject([
      { role: "user", content: text },
      { role: "assistant", content: tinyAnswer(text), status: "done" },
    ]);
  });
});
