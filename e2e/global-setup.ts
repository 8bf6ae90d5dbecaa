import { spawn } from "node:child_process";
import { existsSync, openSync } from "node:fs";
import path from "node:path";
import type { FullConfig } from "@playwright/test";
import { localRegistry, writeLocalRegistry } from "../scripts/local-registry";
import { startReplicas, type Replicas } from "../tests/helpers/replicas";
import { E2E_DIR, ROOT, SYSTEM_PROMPT_MODEL, saveState } from "./servers";

const APP_READY_TIMEOUT_MS = 60_000;

declare global {
  var __e2eReplicas: Replicas | undefined;
}

/**
 * Starts the local Space replicas (free ports, so a running demo is not disturbed), writes a
 * registry that points at them, and starts the BUILT app as one `next start` process.
 */
export default async function globalSetup(config: FullConfig) {
  if (!existsSync(path.join(ROOT, ".next", "BUILD_ID"))) {
    throw new Error("No production build: .next/BUILD_ID is missing. Run `npx next build` before the e2e tests.");
  }
  const baseURL = config.projects[0]?.use.baseURL;
  if (!baseURL) throw new Error("playwright.config.ts sets no baseURL");
  const port = new URL(baseURL).port;

  const replicas = await startReplicas({ ports: {} });
  globalThis.__e2eReplicas = replicas;
  saveState({ replicasPid: replicas.pid });
  process.env.E2E_REPLICA_URLS = JSON.stringify(replicas.urls);

  const registry = localRegistry(replicas.urls);
  // Test fixture: the shipped registry's only system-prompt models (Qwen) are legacy and too big
  // to be served. Shrink one in this copy so the tests can chat with a model that takes a system
  // prompt; the other stays unserved for the legacy-page test.
  const moe = registry.models.find((m) => m.id === SYSTEM_PROMPT_MODEL);
  if (moe) moe.sizeMB = 1000;
  const registryFile = writeLocalRegistry(path.join(E2E_DIR, "models.registry.json"), registry);
  const log = openSync(path.join(E2E_DIR, "app.log"), "w");
  const app = spawn(process.execPath, [path.join(ROOT, "node_modules/next/dist/bin/next"), "start", "-p", port, "-H", "127.0.0.1"], {
    cwd: ROOT,
    stdio: ["ignore", log, log],
    env: { ...process.env, NODE_ENV: "production", MODELS_REGISTRY: registryFile, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (app.pid === undefined) throw new Error("Could not start next start");
  saveState({ replicasPid: replicas.pid, appPid: app.pid });

  try {
    const deadline = Date.now() + APP_READY_TIMEOUT_MS;
    for (;;) {
      if (app.exitCode !== null) {
        throw new Error(`next start exited with ${app.exitCode}; see .local/e2e/app.log`);
      }
      try {
        const res = await fetch(`${baseURL}/api/health`);
        if (res.ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`The app did not answer /api/health within ${APP_READY_TIMEOUT_MS} ms`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } catch (error) {
    // Teardown does not run when setup fails: leave nothing behind.
    app.kill("SIGKILL");
    await replicas.stop();
    throw error;
  }
}
