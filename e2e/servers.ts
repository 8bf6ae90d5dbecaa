import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

/** Where global setup leaves what teardown must stop (they run in the same runner process). */
export const ROOT = path.resolve(import.meta.dirname, "..");
export const E2E_DIR = path.join(ROOT, ".local", "e2e");
const STATE_FILE = path.join(E2E_DIR, "servers.json");

/** The model the e2e registry serves (shrunk below the size limit) to test system prompts. */
export const SYSTEM_PROMPT_MODEL = "qwen1.5-moe-a2.7b-chat";

export type ServerState = { appPid?: number; replicasPid?: number };

export function saveState(state: ServerState) {
  mkdirSync(E2E_DIR, { recursive: true });
  writeFileSync(STATE_FILE, JSON.stringify(state));
}

export function loadState(): ServerState {
  return existsSync(STATE_FILE) ? (JSON.parse(readFileSync(STATE_FILE, "utf8")) as ServerState) : {};
}

export function clearState() {
  rmSync(STATE_FILE, { force: true });
}

/** Replica URLs for the tests (set by global setup; workers inherit the environment). */
export function replicaUrls(): Record<string, string> {
  const raw = process.env.E2E_REPLICA_URLS;
  if (!raw) throw new Error("E2E_REPLICA_URLS is not set: run the tests through playwright.config.ts");
  return JSON.parse(raw) as Record<string, string>;
}
