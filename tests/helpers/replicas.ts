/**
 * The local Space replicas (spaces/) for tests: start them, read what they saw, and build the
 * exact answers they give. The formats mirror spaces/replica_core.py; spaces/README.md is the
 * contract both follow.
 *
 * startReplicas() runs `bash spaces/setup.sh` (a no-op when the venv is current), then spawns
 * spaces/serve.py from spaces/.venv in its own process group and resolves once every replica
 * printed its ready line. By default every replica takes a free port, so a test never clashes
 * with a running demo; stop() ends the whole group and waits for it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPLICA_NAMES = ["qwen", "phi3", "openelm", "tinyllama", "codet5", "chatinterface"] as const;
export type ReplicaName = (typeof REPLICA_NAMES)[number];

export const DEFAULT_REPLICA_PORTS: Record<ReplicaName, number> = {
  qwen: 7861,
  phi3: 7862,
  openelm: 7863,
  tinyllama: 7864,
  codet5: 7865,
  chatinterface: 7866,
};

/** Magic words: put one in the user's message to trigger a test hook. */
export const MAGIC = {
  errorBefore: "[[error-before]]",
  errorDuring: "[[error-during]]",
  crashDuring: "[[crash-during]]",
  slow: "[[slow]]",
  silent: "[[silent]]",
} as const;

/** What the client sees for each hook (the crash text must never reach a user). */
export const REPLICA_ERRORS = {
  before: "Replica error before streaming",
  during: "Replica error during streaming",
  crashSecret: "internal stack detail: db_password=hunter2 token=hf_REPLICA_SECRET_do_not_show",
  /** What @gradio/client reports for a plain exception when the app does not show errors. */
  crashShown: "An error occurred",
} as const;

/** Tokens streamed before [[error-during]] / [[crash-during]] fail. */
export const TOKENS_BEFORE_MIDSTREAM_ERROR = 3;

export type ReplicaEventStatus = "running" | "completed" | "cancelled" | "error";

/** One job as a replica recorded it (GET /replica/events). Times are epoch milliseconds. */
export interface ReplicaEvent {
  id: number;
  endpoint: string;
  message: string;
  started_at: number;
  ended_at: number | null;
  status: ReplicaEventStatus;
  tokens_sent: number;
  error: string | null;
  session_hash: string | null;
  event_id: string | null;
  earlier_turns: number;
  /** CodeT5 only: the whole prompt as received. */
  prompt?: string;
}

export interface StartReplicasOptions {
  /** Which replicas to run (default: all six). */
  only?: readonly ReplicaName[];
  /** Extra environment, e.g. { REPLICA_TOKEN_DELAY_MS: "0", REPLICA_QUEUE_MAX_SIZE: "2" }. */
  env?: Record<string, string>;
  /** "default" for 7861..7866; a partial map pins some ports; anything else gets a free port. */
  ports?: "default" | Partial<Record<ReplicaName, number>>;
  /** How long to wait for every ready line (default 90 s; the venv setup is not counted). */
  readyTimeoutMs?: number;
}

export interface Replicas {
  urls: Record<ReplicaName, string>;
  pid: number;
  events(name: ReplicaName): Promise<ReplicaEvent[]>;
  reset(name: ReplicaName): Promise<void>;
  /** Polls /replica/events until `predicate` holds for some event; returns that event. */
  waitForEvent(
    name: ReplicaName,
    predicate: (event: ReplicaEvent) => boolean,
    timeoutMs?: number,
  ): Promise<ReplicaEvent>;
  /** serve.py's stdout and stderr so far (tracebacks of [[crash-during]] land here). */
  output(): string;
  stop(): Promise<void>;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const SPACES = path.join(ROOT, "spaces");
const VENV_PYTHON = path.join(SPACES, ".venv", "bin", "python");
const SETUP_TIMEOUT_MS = 10 * 60_000;
const STOP_GRACE_MS = 8_000;

function run(command: string, args: string[], timeoutMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** Creates or refreshes spaces/.venv (pip install of the lock file) unless it is current. */
export async function ensureReplicaVenv(): Promise<void> {
  const { code, output } = await run("bash", [path.join(SPACES, "setup.sh")], SETUP_TIMEOUT_MS);
  if (code !== 0 || !existsSync(VENV_PYTHON)) {
    throw new Error(
      `Could not set up the replicas' Python venv (bash spaces/setup.sh exited ${code}). ` +
        `It needs python3 with venv and access to PyPI. Output:\n${output}`,
    );
  }
}

function portArgs(names: readonly ReplicaName[], ports: StartReplicasOptions["ports"]): string[] {
  if (ports === "default") return [];
  const args = ["--port-base", "0"];
  for (const name of names) {
    const port = ports?.[name];
    if (port !== undefined) args.push("--port", `${name}=${port}`);
  }
  return args;
}

/** Whether `child` exits within `ms`. */
export function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is already gone
  }
}

export async function startReplicas(options: StartReplicasOptions = {}): Promise<Replicas> {
  await ensureReplicaVenv();
  const names = options.only ?? REPLICA_NAMES;
  const args = [path.join(SPACES, "serve.py"), "--only", names.join(","), ...portArgs(names, options.ports)];
  const child = spawn(VENV_PYTHON, args, {
    cwd: ROOT,
    detached: true, // own process group: stop() ends it whole
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      GRADIO_ANALYTICS_ENABLED: "False",
      HF_HUB_OFFLINE: "1",
      PYTHONUNBUFFERED: "1",
      ...options.env,
    },
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`Could not spawn ${VENV_PYTHON}`);

  let output = "";
  const urls: Partial<Record<ReplicaName, string>> = {};
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));

  const stop = async (): Promise<void> => {
    killGroup(pid, "SIGTERM");
    if (!(await waitForExit(child, STOP_GRACE_MS))) {
      killGroup(pid, "SIGKILL");
      await waitForExit(child, STOP_GRACE_MS);
    }
  };

  await new Promise<void>((resolve, reject) => {
    let pending = "";
    let settled = false;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void stop().finally(() => reject(new Error(`Replicas did not start: ${why}\n${output}`)));
    };
    const timer = setTimeout(() => fail(`no "ready all" within ${options.readyTimeoutMs ?? 90_000} ms`), options.readyTimeoutMs ?? 90_000);
    child.once("exit", (code, signal) => fail(`serve.py exited (${code ?? signal})`));
    child.stdout!.on("data", (d: Buffer) => {
      const text = d.toString();
      output += text;
      pending += text;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        const m = /^ready (\w+) (http:\/\/\S+)$/.exec(line.trim());
        if (m) urls[m[1] as ReplicaName] = m[2];
        if (line.trim() === "ready all" && !settled) {
          settled = true;
          clearTimeout(timer);
          child.removeAllListeners("exit");
          resolve();
        }
      }
    });
  });

  const urlOf = (name: ReplicaName): string => {
    const url = urls[name];
    if (!url) throw new Error(`Replica ${name} is not running (started: ${Object.keys(urls).join(", ")})`);
    return url;
  };
  const events = async (name: ReplicaName): Promise<ReplicaEvent[]> => {
    const res = await fetch(`${urlOf(name)}/replica/events`);
    if (!res.ok) throw new Error(`GET ${name} /replica/events: HTTP ${res.status}`);
    return ((await res.json()) as { events: ReplicaEvent[] }).events;
  };

  return {
    urls: urls as Record<ReplicaName, string>,
    pid,
    events,
    async reset(name) {
      const res = await fetch(`${urlOf(name)}/replica/reset`, { method: "POST" });
      if (!res.ok) throw new Error(`POST ${name} /replica/reset: HTTP ${res.status}`);
    },
    async waitForEvent(name, predicate, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      let seen: ReplicaEvent[] = [];
      while (Date.now() < deadline) {
        seen = await events(name);
        const hit = seen.find(predicate);
        if (hit) return hit;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`No matching ${name} event within ${timeoutMs} ms; events: ${JSON.stringify(seen)}`);
    },
    output: () => output,
    stop,
  };
}

// --- the replicas' answers (spaces/README.md, "Answer formats") -------------------------------

type Setting = string | number | boolean;

/** Settings print like JavaScript's String(): 0.7 -> "0.7", 800 -> "800", true -> "true". */
function settingsText(settings: [string, Setting][]): string {
  if (settings.length === 0) return "";
  return ` Settings: ${settings.map(([k, v]) => `${k}=${String(v)}`).join(" ")}.`;
}

function answer(label: string, message: string, earlierTurns: number, settings: [string, Setting][] = [], system?: string): string {
  const sys = system === undefined ? "" : `System: "${system}". `;
  return `${label} replica. ${sys}You said: "${message}". Earlier turns: ${earlierTurns}.${settingsText(settings)}`;
}

export const expectedAnswer = {
  qwen: (a: { message: string; earlierTurns: number; system: string }) =>
    answer("Qwen", a.message, a.earlierTurns, [], a.system),
  phi3: (a: { message: string; earlierTurns: number; temperature: number; doSample: boolean; maxNewTokens: number }) =>
    answer("Phi-3", a.message, a.earlierTurns, [
      ["temperature", a.temperature],
      ["do_sample", a.doSample],
      ["max_new_tokens", a.maxNewTokens],
    ]),
  openelm: (a: {
    message: string;
    earlierTurns: number;
    maxNewTokens: number;
    temperature: number;
    topP: number;
    topK: number;
    repetitionPenalty: number;
  }) =>
    answer("OpenELM", a.message, a.earlierTurns, [
      ["max_new_tokens", a.maxNewTokens],
      ["temperature", a.temperature],
      ["top_p", a.topP],
      ["top_k", a.topK],
      ["repetition_penalty", a.repetitionPenalty],
    ]),
  tinyllama: (a: { message: string; earlierTurns: number; maxNewTokens: number; temperature: number; topP: number }) =>
    answer("TinyLlama", a.message, a.earlierTurns, [
      ["max_new_tokens", a.maxNewTokens],
      ["temperature", a.temperature],
      ["top_p", a.topP],
    ]),
  /** `message` is the current message as the replica finds it in the folded prompt (README rule). */
  codet5: (a: { message: string; earlierTurns: number; maxLength: number; temperature: number }) =>
    answer("CodeT5", a.message, a.earlierTurns, [
      ["max_length", a.maxLength],
      ["temperature", a.temperature],
    ]),
  chatinterface: (a: { message: string; earlierTurns: number }) => answer("ChatInterface", a.message, a.earlierTurns),
};

/** What a [[slow]] job streams: the normal answer, then REPLICA_SLOW_TOKENS (default 200) " tick"s. */
export function slowAnswer(normal: string, extraTokens = 200): string {
  return normal + " tick".repeat(extraTokens);
}

/** The replicas' token split: words with their trailing whitespace; tokens.join("") === text. */
export function replicaTokens(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}
