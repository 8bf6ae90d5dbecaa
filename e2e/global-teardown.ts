import { clearState, loadState } from "./servers";

async function waitGone(pid: number, ms: number) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/** Stops the app and the replicas that global setup started, by their ids. */
export default async function globalTeardown() {
  const { appPid, replicasPid } = loadState();
  if (appPid) {
    try {
      process.kill(appPid, "SIGTERM");
    } catch {
      // already gone
    }
    if (!(await waitGone(appPid, 5_000))) {
      try {
        process.kill(appPid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  }
  if (globalThis.__e2eReplicas) {
    await globalThis.__e2eReplicas.stop();
  } else if (replicasPid) {
    try {
      process.kill(-replicasPid, "SIGTERM");
    } catch {
      // already gone
    }
  }
  clearState();
}
