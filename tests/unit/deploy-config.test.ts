import { afterEach, describe, expect, it, vi } from "vitest";
import { nodeMajorOf } from "../helpers/dockerfile";
import {
  SPACE_HEADER_FILE,
  WORKFLOW_FILE,
  frontMatter,
  readDockerfile,
  readRepoFile,
  workflowFacts,
} from "../helpers/deploy-files";

/**
 * The Dockerfile, the Space's README front matter, the CI workflow and next.config.ts describe one
 * deployment: same Node major, same port, same start command. The standalone smoke test
 * (scripts/smoke-standalone.ts) proves the Dockerfile's runtime stage works; this file proves the
 * other descriptions agree with it.
 */

const dockerfile = readDockerfile();
const runner = dockerfile.stages.at(-1)!;
const header = frontMatter(readRepoFile(SPACE_HEADER_FILE));
const workflow = workflowFacts(readRepoFile(WORKFLOW_FILE));
const dockerNodeMajor = nodeMajorOf(dockerfile.stages[0]!.base);

describe("Dockerfile", () => {
  it("uses one Node major in every stage", () => {
    expect(dockerNodeMajor).toBeDefined();
    for (const stage of dockerfile.stages) expect(nodeMajorOf(stage.base), stage.name).toBe(dockerNodeMajor);
  });

  it("runs the standalone server as uid 1000 on port 7860, bound to every interface", () => {
    expect(runner.cmd).toEqual(["node", "server.js"]);
    expect(runner.user?.split(":")[0]).toBe("1000");
    expect(runner.env).toMatchObject({ NODE_ENV: "production", PORT: "7860", HOSTNAME: "0.0.0.0" });
    expect(runner.expose).toEqual([Number(runner.env.PORT)]);
  });

  it("ships the standalone tree, its static files, public/ and the registry", () => {
    const copied = runner.copies.flatMap((c) => c.sources);
    expect(copied).toEqual(
      expect.arrayContaining(["/app/.next/standalone", "/app/.next/static", "/app/public", "/app/models.registry.json"]),
    );
    for (const copy of runner.copies) expect(copy.chown).toBe("1000:1000");
  });

  it("never takes HF_TOKEN at build time", () => {
    const text = readRepoFile("Dockerfile");
    expect(text).not.toMatch(/^\s*(ARG|ENV)\s+HF_TOKEN/m);
    expect(text).not.toMatch(/--mount=type=secret/);
  });
});

describe("Space front matter", () => {
  it("declares a Docker Space on the Dockerfile's port", () => {
    expect(header).toBeDefined();
    const fields = header!.fields;
    expect(fields.sdk).toBe("docker");
    expect(Number(fields.app_port)).toBe(Number(runner.env.PORT));
    expect(fields.pinned).toBe("false");
    for (const key of ["title", "emoji", "colorFrom", "colorTo", "short_description"]) expect(fields[key], key).toBeTruthy();
    // The Hub rejects a longer short description.
    expect(fields.short_description!.length).toBeLessThanOrEqual(60);
  });

  it("is the README's header, once the README carries one", () => {
    const readme = frontMatter(readRepoFile("README.md"));
    if (readme) expect(readme.block).toBe(header!.block);
  });
});

describe("CI workflow", () => {
  it("tests on the Dockerfile's Node major and the next LTS", () => {
    expect(workflow.nodeMatrix).toContain(dockerNodeMajor);
    expect(workflow.nodeMatrix).toContain(22);
    for (const version of workflow.literalNodeVersions) expect(version).toBe(dockerNodeMajor);
  });

  it("runs the README's test command and the production audit, caching npm and pip", () => {
    expect(readRepoFile("README.md")).toContain("bash scripts/test.sh");
    expect(workflow.runCommands).toContain("bash scripts/test.sh");
    expect(workflow.runCommands).toContain("npm audit --omit=dev --audit-level=high");
    expect(workflow.caches).toEqual(expect.arrayContaining(["npm", "pip"]));
  });

  it("allows the Dockerfile's Node major in package.json's engines", () => {
    const engines = (JSON.parse(readRepoFile("package.json")) as { engines?: { node?: string } }).engines?.node ?? "";
    const minMajor = Number(/(\d+)/.exec(engines)?.[1]);
    expect(minMajor).toBeLessThanOrEqual(dockerNodeMajor!);
  });
});

describe("next.config.ts", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  async function configWith(vercel: string) {
    vi.stubEnv("VERCEL", vercel);
    vi.resetModules();
    return (await import("../../next.config")).default;
  }

  it("emits the standalone server and traces the registry into every route", async () => {
    const config = await configWith("");
    expect(config.output).toBe("standalone");
    expect(config.outputFileTracingIncludes).toEqual({ "/**": ["./models.registry.json"] });
  });

  it("leaves the standalone output off on Vercel's builder, which ignores it", async () => {
    const config = await configWith("1");
    expect(config.output).toBeUndefined();
    expect(config.outputFileTracingIncludes).toEqual({ "/**": ["./models.registry.json"] });
  });
});
