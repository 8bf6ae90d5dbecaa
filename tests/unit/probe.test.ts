import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkRegistry, type Registry } from "@/lib/registry/check";
import { parseQuantity, probeMemory, type ProbeInputs } from "@/lib/probe/memory";
import { selectDefaultModel } from "@/lib/probe/select";
import shippedRegistry from "@/models.registry.json";

const GiB = 1024 ** 3;

/** A fake cgroup filesystem: `files` maps relative paths to contents. */
function cgroupTree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), "cgroup-"));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), content + "\n");
  }
  return root;
}

const noNode: ProbeInputs["node"] = {};
const machine = { totalmem: () => 64 * GiB, freemem: () => 40 * GiB };
const probe = (over: Partial<ProbeInputs>) =>
  probeMemory({ cgroupRoot: cgroupTree({}), procSelfCgroup: "0::/\n", env: {}, node: noNode, os: machine, ...over });

describe("probeMemory", () => {
  it("reads cgroup v2 limit and usage", () => {
    const root = cgroupTree({ "memory.max": String(16 * GiB), "memory.current": String(4 * GiB) });
    expect(probe({ cgroupRoot: root })).toEqual({ limitMB: 16384, availableMB: 12288, source: "cgroup-v2" });
  });

  it("skips an unlimited cgroup v2 and falls back to cgroup v1", () => {
    const root = cgroupTree({
      "memory.max": "max",
      "memory.current": "100",
      "memory/memory.limit_in_bytes": String(6 * GiB),
      "memory/memory.usage_in_bytes": String(1 * GiB),
    });
    expect(probe({ cgroupRoot: root })).toEqual({ limitMB: 6144, availableMB: 5120, source: "cgroup-v1" });
  });

  it("treats cgroup v1's huge 'no limit' number as unlimited", () => {
    const root = cgroupTree({
      "memory/memory.limit_in_bytes": "9223372036854771712",
      "memory/memory.usage_in_bytes": String(GiB),
    });
    expect(probe({ cgroupRoot: root }).source).toBe("os");
  });

  it("finds the process's own nested cgroup, and a limit set on its ancestor", () => {
    const root = cgroupTree({
      "memory.max": "max",
      "memory.current": "1",
      "system.slice/memory.max": String(8 * GiB),
      "system.slice/memory.current": String(3 * GiB),
      "system.slice/app.service/memory.max": "max",
      "system.slice/app.service/memory.current": String(2 * GiB),
    });
    const procSelfCgroup = "0::/system.slice/app.service\n";
    expect(probe({ cgroupRoot: root, procSelfCgroup })).toEqual({ limitMB: 8192, availableMB: 5120, source: "cgroup-v2" });
  });

  it("follows cgroup v1's memory controller line in a hybrid hierarchy", () => {
    const root = cgroupTree({
      "memory/memory.limit_in_bytes": "9223372036854771712",
      "memory/memory.usage_in_bytes": "1",
      "memory/jobs/42/memory.limit_in_bytes": String(4 * GiB),
      "memory/jobs/42/memory.usage_in_bytes": String(1 * GiB),
    });
    const procSelfCgroup = "4:memory:/jobs/42\n1:cpu:/\n0::/\n";
    expect(probe({ cgroupRoot: root, procSelfCgroup })).toEqual({ limitMB: 4096, availableMB: 3072, source: "cgroup-v1" });
  });

  it("uses Node's constrained and available memory next", () => {
    const node = { constrainedMemory: () => 10 * GiB, availableMemory: () => 9 * GiB };
    expect(probe({ node })).toEqual({ limitMB: 10240, availableMB: 9216, source: "node" });
  });

  it("uses the MEMORY variable that Spaces set, then the machine", () => {
    const fromEnv = probe({ env: { MEMORY: "16Gi" } });
    expect(fromEnv.source).toBe("env-MEMORY");
    expect(fromEnv.limitMB).toBe(16384);
    expect(probe({ env: { MEMORY: "lots" } })).toEqual({ limitMB: 65536, availableMB: 40960, source: "os" });
  });

  it("parses Kubernetes-style quantities", () => {
    expect(parseQuantity("512Mi")).toBe(512 * 1024 ** 2);
    expect(parseQuantity("8G")).toBe(8e9);
    expect(parseQuantity("1073741824")).toBe(GiB);
    expect(parseQuantity("8 apples")).toBeUndefined();
  });
});

describe("selectDefaultModel", () => {
  const checked = checkRegistry(shippedRegistry);
  if (!checked.ok) throw new Error(checked.problems.join("\n"));
  const registry: Registry = checked.registry;
  const withAvailable = (mb: number) => ({ availableMB: mb, limitMB: mb, source: "os" as const });

  it("picks TinyLlama above 8 GB and CodeT5-Small at or below", () => {
    expect(selectDefaultModel(registry, withAvailable(8193)).model.id).toBe("tinyllama-1.1b-chat");
    expect(selectDefaultModel(registry, withAvailable(8192)).model.id).toBe("codet5-small");
    expect(selectDefaultModel(registry, withAvailable(100)).model.id).toBe("codet5-small");
  });

  it("lets DEFAULT_MODEL override the probe, but only with a served model", () => {
    expect(selectDefaultModel(registry, withAvailable(100), "tinyllama-1.1b-chat")).toMatchObject({
      model: { id: "tinyllama-1.1b-chat" },
      reason: "DEFAULT_MODEL",
    });
    expect(selectDefaultModel(registry, withAvailable(100), "openelm-3b").model.id).toBe("codet5-small");
  });
});
