import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * How much memory this server may use and has left, from the most specific source that knows:
 * the cgroup the process runs in (containers, Spaces, most PaaS), Node's own view of it, the
 * MEMORY variable that Hugging Face Spaces set, and the whole machine as the last resort.
 */
export type MemorySource = "cgroup-v2" | "cgroup-v1" | "node" | "env-MEMORY" | "os";
export type MemoryProbe = { availableMB: number; limitMB: number; source: MemorySource };

export type ProbeInputs = {
  /** Root of the cgroup filesystem; tests point it at a fake tree. */
  cgroupRoot?: string;
  /** Contents of /proc/self/cgroup: which cgroup this process is in. */
  procSelfCgroup?: string;
  env?: Record<string, string | undefined>;
  node?: { constrainedMemory?: () => number | undefined; availableMemory?: () => number | undefined };
  os?: { totalmem: () => number; freemem: () => number };
};

const MB = 1024 * 1024;
/** cgroups report "no limit" as "max" (v2) or as a number near 2^63 (v1). */
const UNLIMITED_BYTES = 2 ** 60;

export function probeMemory(inputs: ProbeInputs = {}): MemoryProbe {
  const cgroupRoot = inputs.cgroupRoot ?? "/sys/fs/cgroup";
  const own = ownCgroups(inputs.procSelfCgroup ?? readText("/proc/self/cgroup") ?? "");
  const env = inputs.env ?? process.env;
  const node = inputs.node ?? (process as ProbeInputs["node"]);
  const system = inputs.os ?? os;

  return (
    fromCgroup(cgroupRoot, own.v2, "memory.max", "memory.current", "cgroup-v2") ??
    fromCgroup(path.join(cgroupRoot, "memory"), own.v1, "memory.limit_in_bytes", "memory.usage_in_bytes", "cgroup-v1") ??
    fromNode(node) ??
    fromEnv(env.MEMORY) ??
    fromOs(system)
  );
}

/**
 * The process's own cgroup paths, v2 ("0::/path") and v1's memory controller ("N:memory:/path").
 * Inside a container's namespace both are "/"; on a host they name a nested group.
 */
function ownCgroups(procSelfCgroup: string): { v2: string; v1: string } {
  const lines = procSelfCgroup.split("\n").map((line) => line.split(":"));
  const v2 = lines.find(([id, controllers]) => id === "0" && controllers === "");
  const v1 = lines.find(([, controllers]) => controllers?.split(",").includes("memory"));
  return { v2: v2?.slice(2).join(":") || "/", v1: v1?.slice(2).join(":") || "/" };
}

/**
 * The limit may be set on the process's group or on any ancestor (a leaf often says "no limit"
 * while its parent holds the container's limit): the nearest group with a limit wins.
 */
function fromCgroup(
  hierarchy: string,
  ownGroup: string,
  limitFile: string,
  usageFile: string,
  source: MemorySource,
): MemoryProbe | undefined {
  const top = path.resolve(hierarchy);
  for (let dir = path.resolve(top, `.${ownGroup}`); dir.startsWith(top); dir = path.dirname(dir)) {
    const limit = readBytes(path.join(dir, limitFile));
    const used = readBytes(path.join(dir, usageFile));
    if (limit !== undefined && used !== undefined && limit < UNLIMITED_BYTES) {
      return probe(limit, limit - used, source);
    }
    if (dir === top) break;
  }
  return undefined;
}

function fromNode(node: ProbeInputs["node"]): MemoryProbe | undefined {
  const limit = node?.constrainedMemory?.();
  if (!limit || limit >= UNLIMITED_BYTES) return undefined;
  // availableMemory() exists from Node 22; on 20 count what this process already holds as used.
  const available = node?.availableMemory?.() ?? limit - process.memoryUsage().rss;
  return probe(limit, available, "node");
}

/** Hugging Face Spaces set MEMORY to the hardware's size, e.g. "16Gi". */
function fromEnv(value: string | undefined): MemoryProbe | undefined {
  const bytes = value ? parseQuantity(value) : undefined;
  if (bytes === undefined) return undefined;
  return probe(bytes, bytes - process.memoryUsage().rss, "env-MEMORY");
}

function fromOs(system: NonNullable<ProbeInputs["os"]>): MemoryProbe {
  const toMB = (bytes: number) => Math.round(bytes / MB);
  return { limitMB: toMB(system.totalmem()), availableMB: toMB(system.freemem()), source: "os" };
}

function probe(limitBytes: number, availableBytes: number, source: MemorySource): MemoryProbe | undefined {
  if (!(limitBytes > 0) || limitBytes >= UNLIMITED_BYTES) return undefined;
  return {
    limitMB: Math.round(limitBytes / MB),
    availableMB: Math.max(0, Math.round(availableBytes / MB)),
    source,
  };
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

function readBytes(file: string): number | undefined {
  const text = readText(file)?.trim();
  if (text === undefined) return undefined;
  if (text === "max") return Infinity;
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

const UNITS: Record<string, number> = {
  "": 1, k: 1e3, m: 1e6, g: 1e9, t: 1e12, ki: 1024, mi: 1024 ** 2, gi: 1024 ** 3, ti: 1024 ** 4,
};

/** Parses Kubernetes-style quantities: "16Gi", "512Mi", "8G", "1073741824". */
export function parseQuantity(value: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]i?)?b?\s*$/i.exec(value);
  if (!match) return undefined;
  const unit = UNITS[(match[2] ?? "").toLowerCase()];
  return unit === undefined ? undefined : Number(match[1]) * unit;
}
