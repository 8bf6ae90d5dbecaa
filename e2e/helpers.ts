import { expect, type Locator, type Page } from "@playwright/test";
import { replicaUrls } from "./servers";

export const TINYLLAMA = "tinyllama-1.1b-chat";
export const CODET5 = "codet5-small";
export const LEGACY = "qwen1.5-110b-chat";

/** TinyLlama's replica answer with the registry's default settings. */
export function tinyAnswer(message: string, earlierTurns = 0) {
  return `TinyLlama replica. You said: "${message}". Earlier turns: ${earlierTurns}. Settings: max_new_tokens=250 temperature=0.7 top_p=0.9.`;
}

export async function openModel(page: Page, model = TINYLLAMA) {
  await page.goto(`/chat/${model}`);
  // The persisted store hydrates after the first render; the composer is enabled from then on.
  await expect(page.getByRole("textbox", { name: "Message" })).toBeVisible();
}

export function messages(page: Page) {
  return page.getByRole("region", { name: "Messages" }).getByRole("article");
}

export function assistantMessages(page: Page) {
  return page.getByRole("article", { name: /^assistant/ });
}

export function userMessages(page: Page) {
  return page.getByRole("article", { name: /^user/ });
}

export async function send(page: Page, text: string) {
  const box = page.getByRole("textbox", { name: "Message" });
  await box.fill(text);
  await page.getByRole("button", { name: "Send" }).click();
}

/** Waits until the last answer is no longer streaming and returns it. */
export async function lastAnswerDone(page: Page): Promise<Locator> {
  const last = assistantMessages(page).last();
  // Generous: each replica runs one job at a time, and a parallel test's job may be ahead.
  await expect(last).toHaveAttribute("data-status", /^(done|stopped|error|interrupted)$/, { timeout: 30_000 });
  return last;
}

/** Jobs a replica saw (GET /replica/events), to check what reached the upstream. */
export async function replicaEvents(name: string): Promise<Array<{ message: string; status: string }>> {
  const res = await fetch(`${replicaUrls()[name]}/replica/events`);
  return ((await res.json()) as { events: Array<{ message: string; status: string }> }).events;
}

/** A unique marker so that parallel tests can tell their replica jobs apart. */
export const unique = (label: string) => `${label} ${Math.random().toString(36).slice(2, 8)}`;
