import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { assistantMessages, lastAnswerDone, openModel, send, tinyAnswer, userMessages } from "./helpers";

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

test.describe("accessibility", () => {
  test("keyboard only: skip to the message box, type two lines, send with Enter", async ({ page }) => {
    await openModel(page);
    await page.keyboard.press("Tab");
    await expect(page.getByRole("link", { name: "Skip to the message box" })).toBeFocused();
    await page.keyboard.press("Enter");
    const box = page.getByRole("textbox", { name: "Message" });
    await expect(box).toBeFocused();
    await page.keyboard.type("first line");
    await page.keyboard.press("Shift+Enter");
    await page.keyboard.type("second line");
    await expect(box).toHaveValue("first line\nsecond line");
    await page.keyboard.press("Enter");
    await expect(userMessages(page)).toHaveCount(1);
    await expect(box).toHaveValue("");
    await expect(box).toBeFocused();
    const answer = await lastAnswerDone(page);
    await expect(answer).toContainText(tinyAnswer("first line\nsecond line").split("\n")[0]!);

    // The answer's actions come right before the message box in Tab order: regenerate by keyboard.
    await box.focus();
    await page.keyboard.press("Shift+Tab");
    const regenerate = answer.getByRole("button", { name: "Regenerate" });
    await expect(regenerate).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(assistantMessages(page)).toHaveCount(1);
    await expect(assistantMessages(page).last()).toHaveAttribute("data-status", "streaming");
    await lastAnswerDone(page);
    await expect(assistantMessages(page).last()).toContainText("first line");
  });

  test("Enter during IME composition does not send", async ({ page }) => {
    await openModel(page);
    const box = page.getByRole("textbox", { name: "Message" });
    await box.fill("にほんご");
    await box.dispatchEvent("keydown", { key: "Enter", code: "Enter", keyCode: 229, isComposing: true, bubbles: true });
    await page.waitForTimeout(300);
    await expect(userMessages(page)).toHaveCount(0);
    await expect(box).toHaveValue("にほんご");
  });

  test("no serious or critical axe violations on a model page, light and dark", async ({ page }) => {
    await openModel(page);
    await send(page, "Code:\n```js\nconst x = 1;\n```\nand a [link](https://example.com) and a table:\n\n| a | b |\n|---|---|\n| 1 | 2 |");
    await lastAnswerDone(page);
    await expect(assistantMessages(page).locator(".hljs-keyword").first()).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Dark mode" }).click();
    await expect(page.locator("html")).toHaveClass(/dark/);
    expect(await seriousViolations(page)).toEqual([]);
  });

  test("dark mode follows the system, the toggle overrides it without a flash on reload", async ({ page }) => {
    await page.emulateMedia({ colorScheme: "dark" });
    await openModel(page);
    await expect(page.locator("html")).toHaveClass(/dark/);
    const toggle = page.getByRole("button", { name: "Dark mode" });
    await expect(toggle).toHaveAttribute("aria-pressed", "true");
    await toggle.click();
    await expect(page.locator("html")).not.toHaveClass(/dark/);
    // The class is set before first paint by the head script: check it on the raw HTML's first frame.
    await page.reload({ waitUntil: "commit" });
    await page.waitForFunction(() => document.documentElement !== null);
    expect(await page.evaluate(() => document.documentElement.classList.contains("dark"))).toBe(false);
  });
});

test.describe("360 px wide", () => {
  test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });

  test("the page fits, the panels open as drawers, and chat works", async ({ page }) => {
    await openModel(page);
    const fits = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    expect(await fits()).toBe(true);
    await expect(page.getByRole("combobox", { name: "Model" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Send" })).toBeVisible();

    await send(page, "Small screen:\n```\n" + "x".repeat(300) + "\n```\nend");
    await lastAnswerDone(page);
    expect(await fits()).toBe(true);

    await page.getByRole("button", { name: "Conversations" }).click();
    const drawer = page.getByRole("complementary", { name: "Conversations" });
    await expect(drawer.getByRole("button", { name: "New chat" })).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(drawer.getByRole("button", { name: "New chat" })).toBeHidden();

    await page.getByRole("button", { name: "Model info and settings" }).click();
    await expect(page.getByRole("heading", { name: "Model card" })).toBeVisible();
    await expect(page.getByRole("slider", { name: "Temperature" })).toBeVisible();
    await page.getByRole("button", { name: "Close about this model" }).click();
    await expect(page.getByRole("heading", { name: "Model card" })).toBeHidden();
  });
});
