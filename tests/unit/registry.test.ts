import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkRegistry } from "@/lib/registry/check";
import { loadRegistryFile, RegistryError } from "@/lib/registry/load";
import { toPublicModel } from "@/lib/registry/public";

const shippedFile = path.resolve("models.registry.json");
const shipped = () => JSON.parse(readFileSync(shippedFile, "utf8"));

function writeTemp(content: unknown): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "registry-")), "models.json");
  writeFileSync(file, JSON.stringify(content));
  return file;
}

function runCheck(file: string, env: Record<string, string> = {}) {
  try {
    const stdout = execFileSync("npx", ["tsx", "scripts/registry-check.ts", file], {
      encoding: "utf8",
      stdio: "pipe",
      env: { ...process.env, MODEL_SIZE_LIMIT_MB: "", ...env },
    });
    return { code: 0, out: stdout };
  } catch (error) {
    const e = error as { status: number; stdout: string; stderr: string };
    return { code: e.status, out: e.stdout + e.stderr };
  }
}

describe("the shipped registry", () => {
  it("holds the six seed models: two active and served, four legacy and refused", () => {
    const registry = loadRegistryFile(shippedFile);
    expect(registry.sizeLimitMB).toBe(1536);
    const byStatus = (s: string) => registry.models.filter((m) => m.status === s).map((m) => m.id);
    expect(byStatus("active").sort()).toEqual(["codet5-small", "tinyllama-1.1b-chat"]);
    expect(byStatus("legacy")).toHaveLength(4);
    for (const m of registry.models) expect(m.served).toBe(m.status === "active");
  });

  it("explains why a legacy model is not served and how to raise the limit", () => {
    const qwen = loadRegistryFile(shippedFile).models.find((m) => m.id === "qwen1.5-110b-chat")!;
    expect(qwen.unservedReason).toContain("MODEL_SIZE_LIMIT_MB");
    expect(qwen.unservedReason).toContain("225280");
  });

  it("serves legacy models once the operator raises the limit", () => {
    const registry = loadRegistryFile(shippedFile, 300_000);
    expect(registry.models.every((m) => m.served)).toBe(true);
  });

  it("never shows the upstream in the public view", () => {
    for (const m of loadRegistryFile(shippedFile).models) {
      const view = JSON.stringify(toPublicModel(m));
      expect(view).not.toContain(m.upstream.type === "gradio" ? m.upstream.space : "");
      expect(view).not.toContain("upstream");
    }
  });
});

describe("the size check", () => {
  it("rejects an active model over the limit, naming it, its size and the limit", () => {
    const raw = shipped();
    raw.models.find((m: { id: string }) => m.id === "codet5-small").sizeMB = 2000;
    const result = checkRegistry(raw);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([expect.stringMatching(/^codet5-small: .*2000 MB.*1536 MB/)]);
  });

  it("applies MODEL_SIZE_LIMIT_MB instead of the file's limit", () => {
    expect(checkRegistry(shipped(), 1000).problems).toEqual([expect.stringContaining("tinyllama-1.1b-chat")]);
  });
});

describe("schema problems", () => {
  it("names the model and field of each problem", () => {
    const raw = shipped();
    raw.models[0].id = "Not A Slug";
    raw.models[1].upstream.inputs.push({ from: "setting", name: "x", setting: "nope" });
    raw.models[2].settings.push({ key: "k", label: "K", min: 1, max: 2, step: 1, default: 5 });
    const { problems } = checkRegistry(raw);
    expect(problems).toContainEqual(expect.stringMatching(/^Not A Slug \(id\): must be a URL slug/));
    expect(problems).toContainEqual(expect.stringMatching(/^codet5-small \(upstream.inputs.3.setting\): no setting "nope"/));
    expect(problems).toContainEqual(expect.stringMatching(/^qwen1.5-110b-chat \(settings.0\): default must lie/));
  });

  it("rejects duplicate ids and history inputs that contradict the history mode", () => {
    const raw = shipped();
    raw.models[1].id = raw.models[0].id;
    raw.models[2].upstream.history = "session";
    const { problems } = checkRegistry(raw);
    expect(problems).toContainEqual(expect.stringContaining('duplicate model id "tinyllama-1.1b-chat"'));
    expect(problems).toContainEqual(expect.stringMatching(/^qwen1.5-110b-chat \(upstream.history\)/));
  });

  it("reports unreadable JSON as a RegistryError", () => {
    const file = writeTemp("");
    writeFileSync(file, "{ not json");
    expect(() => loadRegistryFile(file)).toThrow(RegistryError);
  });
});

describe("npm run registry:check", () => {
  it("passes on the shipped registry", () => {
    const { code, out } = runCheck(shippedFile);
    expect(code).toBe(0);
    expect(out).toMatch(/^ok .*6 models, 2 served, size limit 1536 MB/);
  });

  it("fails with one line naming the model when an active model is made 2000 MB", () => {
    const raw = shipped();
    raw.models.find((m: { id: string }) => m.id === "tinyllama-1.1b-chat").sizeMB = 2000;
    const { code, out } = runCheck(writeTemp(raw));
    expect(code).toBe(1);
    expect(out).toMatch(/^error tinyllama-1\.1b-chat: active model is 2000 MB, over the size limit of 1536 MB/m);
  });
});
