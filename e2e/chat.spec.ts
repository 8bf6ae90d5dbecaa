import { expect, test } from "@playwright/test";
import { assistantMessages, lastAnswerDone, openModel, replicaEvents, send, tinyAnswer, unique, userMessages } from "./helpers";

test.describe("chatting with a model", () => {
  test("sends a message and watches the answer stream in", async ({ page }) => {
    const problems: string[] = [];
    page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(`${m.type()}: ${m.text()}`);
    });
    await openModel(page);
    await expect(page).toHaveTitle("TinyLlama-1.1B-Chat · VARIABOT");

    // Record every text the answer shows while it grows.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { __seen: string[] }).__seen = seen;
      new MutationObserver(() => {
        const answer = document.querySelector('article[aria-label^="assistant"] .markdown');
        const text = answer?.textContent ?? "";
        if (text && seen.at(-1) !== text) seen.push(text);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });

    // About 60 words: the replica streams one word per 30 ms, so the answer takes about 2 s.
    const text = unique(`Hello there, ${"please tell me about small language models ".repeat(10).trim()}`);
    await send(page, text);
    await expect(userMessages(page)).toHaveCount(1);
    await expect(userMessages(page).first()).toContainText(text);

    const answer = assistantMessages(page).first();
    // While it streams: the old pages' block cursor, and the Stop button.
    await expect(page.getByRole("article", { name: "assistant message, answering" })).toBeVisible();
    await expect(answer.locator(".streaming-cursor")).toHaveCount(1);
    await expect(page.getByRole("button", { name: "Stop" })).toBeVisible();

    await lastAnswerDone(page);
    await expect(answer).toHaveAttribute("data-status", "done");
    await expect(answer).toContainText(tinyAnswer(text));
    await expect(answer.locator(".streaming-cursor")).toHaveCount(0);
    await expect(answer).toContainText(/\d+ chars\/s/);
    await expect(page.getByRole("button", { name: "Send" })).toBeVisible();

    const seen = await page.evaluate(() => (window as unknown as { __seen: string[] }).__seen);
    const final = tinyAnswer(text);
    const partial = seen.map((s) => s.replace(/\u258C/g, "")).filter((s) => s.length < final.length);
    expect(partial.length, "the answer should appear in several steps").toBeGreaterThan(2);
    for (const s of partial) expect(final.startsWith(s.trimEnd())).toBe(true);
    // No hydration mismatch, no React warning, no failed request along the way.
    expect(problems).toEqual([]);
  });

  test("Stop ends the answer and keeps what arrived, marked stopped", async ({ page }) => {
    await openModel(page);
    const text = unique("[[slow]] tell me a long story");
    await send(page, text);
    const answer = assistantMessages(page).first();
    await expect(answer).toContainText("tick");
    await page.getByRole("button", { name: "Stop" }).click();

    await expect(answer).toHaveAttribute("data-status", "stopped");
    await expect(page.getByRole("article", { name: "assistant message, stopped" })).toBeVisible();
    await expect(answer.getByText("Stopped", { exact: true })).toBeVisible();
    const kept = await answer.locator(".markdown").textContent();
    expect(kept).toContain(`You said: "${text}"`);
    await page.waitForTimeout(1200);
    expect(await answer.locator(".markdown").textContent()).toBe(kept);
    await expect(page.getByRole("button", { name: "Send" })).toBeVisible();

    // The upstream job was cancelled too, not left generating.
    await expect
      .poll(async () => (await replicaEvents("tinyllama")).find((e) => e.message === text)?.status, { timeout: 10_000 })
      .toBe("cancelled");
  });

  test("Regenerate asks again and replaces the last answer", async ({ page }) => {
    await openModel(page);
    const text = unique("Regenerate me");
    await send(page, text);
    await lastAnswerDone(page);
    await assistantMessages(page).last().getByRole("button", { name: "Regenerate" }).click();
    await expect.poll(async () => (await replicaEvents("tinyllama")).filter((e) => e.message === text).length).toBe(2);
    await lastAnswerDone(page);
    await expect(assistantMessages(page)).toHaveCount(1);
    await expect(userMessages(page)).toHaveCount(1);
    await expect(assistantMessages(page).last()).toContainText(`You said: "${text}"`);
  });

  test("Edit and resend replaces the message and what followed", async ({ page }) => {
    await openModel(page);
    const first = unique("first version");
    await send(page, first);
    await lastAnswerDone(page);
    const second = unique("second version");
    await userMessages(page).first().getByRole("button", { name: "Edit" }).click();
    const editor = page.getByRole("textbox", { name: "Edit message" });
    await expect(editor).toHaveValue(first);
    await editor.fill(second);
    await page.getByRole("button", { name: "Save and send" }).click();
    await lastAnswerDone(page);
    await expect(userMessages(page)).toHaveCount(1);
    await expect(userMessages(page).first()).toContainText(second);
    await expect(assistantMessages(page)).toHaveCount(1);
    await expect(assistantMessages(page).first()).toContainText(`You said: "${second}"`);
  });

  test("a second turn sends the history and several conversations live side by side", async ({ page }) => {
    await openModel(page);
    await send(page, "one");
    await lastAnswerDone(page);
    await send(page, "two");
    await lastAnswerDone(page);
    await expect(assistantMessages(page).last()).toContainText(tinyAnswer("two", 1));

    const sidebar = page.getByRole("navigation", { name: "Conversations" });
    await page.getByRole("button", { name: "New chat" }).click();
    await expect(assistantMessages(page)).toHaveCount(0);
    await send(page, "fresh start");
    await lastAnswerDone(page);
    await expect(assistantMessages(page).last()).toContainText(tinyAnswer("fresh start", 0));
    await expect(sidebar.getByRole("button", { name: /^one/ })).toBeVisible();
    await expect(sidebar.getByRole("button", { name: /^fresh start/ })).toHaveAttribute("aria-current", "true");

    // Rename, then delete.
    await sidebar.getByRole("button", { name: "Rename conversation one" }).click();
    await sidebar.getByRole("textbox", { name: "Conversation title" }).fill("Numbers");
    await page.keyboard.press("Enter");
    await expect(sidebar.getByRole("button", { name: "Numbers", exact: true })).toBeVisible();
    await sidebar.getByRole("button", { name: "Numbers", exact: true }).click();
    await expect(userMessages(page)).toHaveCount(2);
    await sidebar.getByRole("button", { name: "Delete conversation Numbers" }).click();
    await sidebar.getByRole("button", { name: "Confirm delete" }).click();
    await expect(sidebar.getByRole("button", { name: "Numbers", exact: true })).toHaveCount(0);
    await expect(assistantMessages(page)).toHaveCount(0);
  });
});
