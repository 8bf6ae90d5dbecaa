import { expect, test } from "@playwright/test";
import { assistantMessages, lastAnswerDone, openModel, send } from "./helpers";

test("an answer with HTML, a script and a javascript: link runs none of them", async ({ page }) => {
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await openModel(page);
  // The replica echoes the message inside its answer, so the answer carries the payloads.
  await send(
    page,
    [
      "Look: <img src=x onerror=\"window.__pwned='img';alert('img')\">",
      "<script>window.__pwned='script';alert('script')</script>",
      "[click me](javascript:window.__pwned='link';alert('link'))",
      "[safe link](https://example.com/docs)",
      "<a href=\"javascript:alert('raw')\">raw link</a>",
    ].join("\n"),
  );
  const answer = await lastAnswerDone(page);
  await expect(answer).toContainText("<script>window.__pwned='script'");
  await expect(answer).toContainText('<img src=x onerror="window.__pwned');

  // No element was made from the model's HTML.
  expect(await page.locator('main img[src="x"], main script, main [onerror]').count()).toBe(0);
  expect(await page.locator('a[href^="javascript:" i]').count()).toBe(0);

  // The javascript: link is plain text; clicking it does nothing.
  await answer.getByText("click me").click();
  const safe = answer.getByRole("link", { name: "safe link" });
  await expect(safe).toHaveAttribute("href", "https://example.com/docs");
  await expect(safe).toHaveAttribute("target", "_blank");
  await expect(safe).toHaveAttribute("rel", /noopener/);
  await expect(safe).toHaveAttribute("rel", /noreferrer/);

  await page.waitForTimeout(300);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
  expect(dialogs).toEqual([]);
  await expect(assistantMessages(page)).toHaveCount(1);
});

test("code blocks are highlighted once finished and can be copied", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await openModel(page);
  await send(page, "Code:\n```python\ndef greet(name):\n    return f'hi {name}'\n```\nend");
  const answer = await lastAnswerDone(page);
  const block = answer.locator(".code-block");
  await expect(block).toHaveCount(1);
  await expect(block.locator(".code-head")).toContainText("python");
  await expect(block.locator(".hljs-keyword").first()).toHaveText("def");
  await block.getByRole("button", { name: "Copy code" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe("def greet(name):\n    return f'hi {name}'");

  // Copy on the message copies the whole answer as markdown.
  await answer.getByRole("button", { name: "Copy", exact: true }).click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toMatch(/^TinyLlama replica\. You said: "Code:\n```python\n/);
  expect(copied).toMatch(/Settings: max_new_tokens=250 temperature=0\.7 top_p=0\.9\.$/);
});
