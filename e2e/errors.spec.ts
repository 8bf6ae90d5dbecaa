import { expect, test } from "@playwright/test";
import { assistantMessages, lastAnswerDone, openModel, replicaEvents, send, unique } from "./helpers";

test.describe("errors are shown in place", () => {
  test("an upstream error shows the server's message, and Retry asks again", async ({ page }) => {
    await openModel(page);
    const text = unique("[[error-before]] please fail");
    await send(page, text);
    const answer = assistantMessages(page).last();
    await expect(answer).toHaveAttribute("data-status", "error");
    await expect(answer.getByRole("alert")).toContainText("Replica error before streaming");
    await answer.getByRole("button", { name: "Retry" }).click();
    await expect.poll(async () => (await replicaEvents("tinyllama")).filter((e) => e.message === text).length).toBe(2);
    await lastAnswerDone(page);
    // The failed answer was replaced, not stacked.
    await expect(assistantMessages(page)).toHaveCount(1);
    await expect(assistantMessages(page).last().getByRole("button", { name: "Retry" })).toBeVisible();
  });

  test("an error mid-answer keeps the partial text above the error", async ({ page }) => {
    await openModel(page);
    const text = unique("[[error-during]] half");
    await send(page, text);
    const answer = await lastAnswerDone(page);
    await expect(answer).toHaveAttribute("data-status", "error");
    await expect(answer.locator(".markdown")).toContainText("TinyLlama replica.");
    await expect(answer.getByRole("alert")).toContainText("Replica error during streaming");
    await expect(answer.getByRole("button", { name: "Retry" })).toBeVisible();
  });

  test("a crash upstream shows a generic message, never the upstream's secret text", async ({ page }) => {
    await openModel(page);
    await send(page, unique("[[crash-during]] oops"));
    const answer = await lastAnswerDone(page);
    await expect(answer).toHaveAttribute("data-status", "error");
    await expect(answer.getByRole("alert")).toBeVisible();
    expect(await page.content()).not.toContain("hunter2");
  });

  test("a refused request shows the server's message, without Retry", async ({ page }) => {
    await openModel(page);
    // A value out of the registry's range (an old page could have stored one): the route says 400.
    await page.route("**/api/chat", async (route) => {
      const body = route.request().postDataJSON() as Record<string, unknown>;
      await route.continue({ postData: JSON.stringify({ ...body, params: { temperature: 7 } }) });
    });
    await send(page, "refused");
    const answer = await lastAnswerDone(page);
    await expect(answer.getByRole("alert")).toContainText("temperature");
    await expect(answer.getByRole("button", { name: "Retry" })).toHaveCount(0);
  });
});
