import { expect, test } from "@playwright/test";
import { CODET5, LEGACY, TINYLLAMA, assistantMessages, lastAnswerDone, openModel, send } from "./helpers";
import { SYSTEM_PROMPT_MODEL } from "./servers";

test.describe("model pages", () => {
  test("a model page mirrors the old page: logo, tagline, card, settings, tips", async ({ page }) => {
    await openModel(page, TINYLLAMA);
    await expect(page.getByRole("heading", { level: 1, name: "TinyLlama-1.1B-Chat" })).toBeVisible();
    await expect(page.getByText("A compact 1.1B chat model")).toBeVisible();
    const card = page.getByRole("region", { name: "Model card" });
    await expect(card).toContainText("1.1 GB");
    await expect(card).toContainText("General conversation");
    await expect(card).toContainText("Brainstorming");
    const temperature = page.getByRole("slider", { name: "Temperature" });
    await expect(temperature).toHaveValue("0.7");
    await expect(temperature).toHaveAttribute("min", "0");
    await expect(temperature).toHaveAttribute("max", "1");
    await expect(page.getByRole("slider", { name: "Max new tokens" })).toHaveValue("250");
    await expect(page.getByText("Usage tips")).toBeVisible();
    await expect(page.getByRole("textbox", { name: "Message" })).toHaveAttribute("placeholder", "Chat with TinyLlama...");
  });

  test("slider settings reach the model", async ({ page }) => {
    await openModel(page, TINYLLAMA);
    const slider = page.getByRole("slider", { name: "Temperature" });
    await slider.focus();
    await page.keyboard.press("ArrowLeft"); // 0.7 - step 0.05
    await expect(slider).toHaveValue("0.65");
    await send(page, "settings check");
    await lastAnswerDone(page);
    await expect(assistantMessages(page).last()).toContainText("temperature=0.65");
  });

  test("the switcher lists every model with size and status, marks the default, and switches", async ({ page }) => {
    await openModel(page, TINYLLAMA);
    const switcher = page.getByRole("combobox", { name: "Model" });
    await expect(switcher).toHaveValue(TINYLLAMA);
    const options = await switcher.locator("option").allTextContents();
    expect(options).toContain("TinyLlama-1.1B-Chat · 1.1 GB · active · default");
    expect(options).toContain("CodeT5-Small · 880 MB · active");
    expect(options).toContain("Qwen1.5-110B-Chat · 220 GB · legacy, not served");
    expect(options).toContain("Phi-3-mini-128k-Instruct · 7.4 GB · legacy, not served");
    expect(options).toHaveLength(6);

    await switcher.selectOption(CODET5);
    await expect(page).toHaveURL(new RegExp(`/chat/${CODET5}$`));
    await expect(page).toHaveTitle("CodeT5-Small · VARIABOT");
    await expect(page.getByRole("heading", { level: 1, name: "CodeT5-Small" })).toBeVisible();
    await expect(page.getByRole("slider", { name: "Max length" })).toHaveValue("150");
    await send(page, "write a sort function");
    await lastAnswerDone(page);
    await expect(assistantMessages(page).last()).toContainText('CodeT5 replica. You said: "write a sort function"');
  });

  test("a legacy model's page says why it is not served", async ({ page }) => {
    await page.goto(`/chat/${LEGACY}`);
    await expect(page).toHaveTitle("Qwen1.5-110B-Chat · VARIABOT");
    await expect(page.getByRole("note")).toContainText("not served");
    await expect(page.getByRole("note")).toContainText("over this deployment's limit");
    await expect(page.getByRole("textbox", { name: "Message" })).toHaveCount(0);
  });

  test("an unknown model is a 404", async ({ page }) => {
    const res = await page.goto("/chat/no-such-model");
    expect(res?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
  });

  test("/ opens the auto-selected default model", async ({ page }) => {
    await page.goto("/");
    const health = (await (await page.request.get("/api/health")).json()) as { defaultModel: { id: string } };
    await expect(page).toHaveURL(new RegExp(`/chat/${health.defaultModel.id}$`));
  });

  test("a model that takes a system prompt gets one per conversation", async ({ page }) => {
    await openModel(page, SYSTEM_PROMPT_MODEL);
    await page.getByText("System prompt (optional)").click();
    await page.getByRole("textbox", { name: "System prompt" }).fill("You are a pirate.");
    await send(page, "hello");
    await lastAnswerDone(page);
    await expect(assistantMessages(page).last()).toContainText('Qwen replica. System: "You are a pirate.". You said: "hello"');

    // Another conversation has its own (empty: the model's default) system prompt.
    await page.getByRole("button", { name: "New chat" }).click();
    await send(page, "ahoy?");
    await lastAnswerDone(page);
    await expect(assistantMessages(page).last()).toContainText('System: "You are a helpful assistant.". You said: "ahoy?"');

    // The first conversation keeps its prompt across a reload.
    await page.reload();
    await page.getByRole("navigation", { name: "Conversations" }).getByRole("button", { name: "hello", exact: true }).click();
    await expect(page.getByText("System prompt: You are a pirate.")).toBeVisible();
  });
});
