import path from "node:path";
import { test } from "@playwright/test";
import { lastAnswerDone, openModel, send } from "./helpers";
import { ROOT } from "./servers";

/** Pictures of a model page for a person to look at (.local/screenshots); asserts nothing more. */
const SHOTS = path.join(ROOT, ".local", "screenshots");

for (const [name, viewport] of [
  ["desktop", { width: 1440, height: 900 }],
  ["mobile-360", { width: 360, height: 780 }],
] as const) {
  for (const scheme of ["light", "dark"] as const) {
    test(`screenshot ${name} ${scheme}`, async ({ page }) => {
      await page.setViewportSize(viewport);
      await page.emulateMedia({ colorScheme: scheme });
      await openModel(page);
      await send(page, "What is an AI model? Give an example:\n```python\ndef predict(x):\n    return model(x)\n```\nThanks!");
      await lastAnswerDone(page);
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(SHOTS, `model-page-${name}-${scheme}.png`) });
    });
  }
}

test("screenshot mobile-360 model panel and legacy page", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 780 });
  await openModel(page);
  await page.getByRole("button", { name: "Model info and settings" }).click();
  await page.waitForTimeout(200);
  await page.screenshot({ path: path.join(SHOTS, "model-page-mobile-360-panel.png") });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto("/chat/qwen1.5-110b-chat");
  await page.screenshot({ path: path.join(SHOTS, "legacy-page-desktop.png") });
});

test("screenshot rich markdown answer", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 1000 });
  await openModel(page);
  await send(
    page,
    [
      "see below:",
      "",
      "### A heading",
      "",
      "Some *emphasis*, `inline code` and a [link](https://example.com).",
      "",
      "- item one",
      "- item **two**",
      "  - nested item",
      "",
      "1. first",
      "2. second",
      "",
      "> a quoted line",
      "",
      "| column | value |",
      "|---|---:|",
      "| alpha | 1 |",
      "| beta | 22 |",
      "",
      "Done",
    ].join("\n"),
  );
  await lastAnswerDone(page);
  await page.getByRole("article", { name: /^assistant/ }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(SHOTS, "rich-markdown-desktop-light.png") });
});
