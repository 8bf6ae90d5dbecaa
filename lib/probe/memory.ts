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
  env?: Record<string, string | undefined>;
  node?: { constrainedMemory?: () => number | undefined; availableMemory?: () => number | undefined };
  os?: { totalmem: () => number; freemem: () => number };
};

const MB = 1024 * 1024;
/** cgroups report "no limit" as "max" (v2) or as a number near 2^63 (v1). */
const UNLIMITED_BYTES = 2 ** 60;

export function probeMemory(inputs: ProbeInputs = {}): MemoryProbe {
  const cgroupRoot = inputs.cgroupRoot ?? "/sys/fs/cgroup";
  const env = inputs.env ?? process.env;
  const node = inputs.node ?? (process as ProbeInputs["node"]);
  const system = inputs.os ?? os;

  return (
    fromCgroupV2(cgroupRoot) ??
    fromCgroupV1(cgroupRoot) ??
    fromNode(node) ??
    fromEnv(env.MEMORY) ??
    fromOs(system)
  );
}

function fromCgroupV2(root: string): MemoryProbe | undefined {
  const limit = readBytes(path.join(root, "memory.max"));
  const used = readBytes(path.join(root, "memory.current"));
  if (limit === undefined || used === undefined) return undefined;
  return probe(limit, limit - used, "cgroup-v2");
}

function fromCgroupV1(root: string): MemoryProbe | undefined {
  const dir = path.join(root, "memory");
  const limit = readBytes(path.join(dir, "memory.limit_in_bytes"));
  const used = readBytes(path.join(dir, "memory.usage_in_bytes"));
  if (limit === undefined || used === undefined) return undefined;
  return probe(limit, limit - used, "cgroup-v1");
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

function readBytes(file: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8").trim();
  } catch {
    return undefined;
  }
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
