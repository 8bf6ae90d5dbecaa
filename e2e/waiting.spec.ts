import { expect, test, type Page } from "@playwright/test";
import { CODET5, assistantMessages, lastAnswerDone, openModel, send, unique } from "./helpers";

test("while queued the page shows the queue position, then the answer", async ({ browser }) => {
  // Each replica runs one job at a time: a slow job on one page makes the next page's job wait.
  const first = await (await browser.newContext()).newPage();
  const second = await (await browser.newContext()).newPage();
  try {
    await openModel(first, CODET5);
    await openModel(second, CODET5);
    await send(first, unique("[[slow]] hold the line"));
    await expect(assistantMessages(first).last().getByRole("status")).toContainText(/Generating|queue|Connecting/);
    await first.waitForTimeout(500);

    const question = unique("am I next");
    await send(second, question);
    await expect(assistantMessages(second).last().getByRole("status")).toContainText(/In queue: (next up|\d+ ahead of you)/);

    await first.getByRole("button", { name: "Stop" }).click();
    await expect(assistantMessages(first).last()).toHaveAttribute("data-status", "stopped");
    const answer = await lastAnswerDone(second);
    await expect(answer).toContainText(`CodeT5 replica. You said: "${question}"`);
  } finally {
    await first.context().close();
    await second.context().close();
  }
});

async function distanceFromBottom(page: Page) {
  return page.evaluate(() => {
    const el = document.querySelector("main .overflow-y-auto") as HTMLElement;
    return el.scrollHeight - el.scrollTop - el.clientHeight;
  });
}

test("the view follows a growing answer unless the user scrolls up", async ({ page }) => {
  await page.setViewportSize({ width: 900, height: 520 });
  await openModel(page);
  // Each "Paragraph N." is a new paragraph, so the answer grows a line every ~0.6 s ([[slow]]).
  const paragraphs = Array.from({ length: 14 }, (_, i) => `Paragraph ${i + 1}.`).join("\n\n");
  await send(page, `[[slow]] ${paragraphs}`);
  const answer = assistantMessages(page).last();
  await expect(answer).toContainText("Paragraph 2.", { timeout: 30_000 });
  await expect.poll(() => distanceFromBottom(page)).toBeLessThan(60);
  await expect(answer).toContainText("Paragraph 4.");
  expect(await distanceFromBottom(page)).toBeLessThan(60);

  await page.mouse.move(450, 250);
  await page.mouse.wheel(0, -300);
  await page.waitForTimeout(1500); // paragraphs keep arriving meanwhile
  expect(await distanceFromBottom(page)).toBeGreaterThan(150);
  const jump = page.getByRole("button", { name: "Scroll to the latest message" });
  await expect(jump).toBeVisible();

  await jump.click();
  await expect.poll(() => distanceFromBottom(page)).toBeLessThan(60);
  await page.waitForTimeout(1500);
  expect(await distanceFromBottom(page)).toBeLessThan(60);
  await page.getByRole("button", { name: "Stop" }).click();
  await expect(answer).toHaveAttribute("data-status", "stopped");
});
