import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { nodeMajorOf, parseDockerfile, replayFinalStage } from "../helpers/dockerfile";

/** The host replay of a Dockerfile's final stage that the standalone smoke test relies on. */

let dir: string;
let repo: string;
let dest: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "dockerfile-replay-"));
  repo = path.join(dir, "repo");
  dest = path.join(dir, "app");
  mkdirSync(path.join(repo, "out", "sub"), { recursive: true });
  writeFileSync(path.join(repo, "out", "server.js"), "server");
  writeFileSync(path.join(repo, "out", "sub", "a.txt"), "a");
  writeFileSync(path.join(repo, "data.json"), "{}");
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

const base = `
# comment
ARG V=20
FROM node:\${V}-slim AS builder
WORKDIR /src
RUN build
FROM node:\${V}-slim
WORKDIR /srv
ENV A=1 \\
    # a comment inside a continuation is dropped
    B="two words"
`;

describe("parseDockerfile", () => {
  it("reads stages, ARG substitution, continued ENV lines and exec-form commands", () => {
    const df = parseDockerfile(`${base}EXPOSE 8080\nCMD ["node", "server.js"]\n`);
    expect(df.stages.map((s) => [s.name, s.base])).toEqual([
      ["builder", "node:20-slim"],
      [undefined, "node:20-slim"],
    ]);
    expect(df.stages[1]).toMatchObject({ workdir: "/srv", env: { A: "1", B: "two words" }, expose: [8080], cmd: ["node", "server.js"] });
    expect(nodeMajorOf(df.stages[1]!.base)).toBe(20);
  });

  it("rejects a shell-form CMD, which the replay could not run the same way", () => {
    expect(() => parseDockerfile(`${base}CMD node server.js\n`)).toThrow(/exec \(JSON array\) form/);
  });
});

describe("replayFinalStage", () => {
  it("copies a directory's contents, a file to a path, and resolves the destination against WORKDIR", () => {
    const df = parseDockerfile(
      `${base}ENV PORT=8080\nCOPY --from=builder /src/out ./\nCOPY --from=builder /src/data.json ./conf/data.json\nCMD ["node", "server.js"]\n`,
    );
    const spec = replayFinalStage(df, repo, dest);
    expect(readFileSync(path.join(dest, "server.js"), "utf8")).toBe("server");
    expect(readFileSync(path.join(dest, "sub", "a.txt"), "utf8")).toBe("a");
    expect(readFileSync(path.join(dest, "conf", "data.json"), "utf8")).toBe("{}");
    expect(spec).toMatchObject({ workdir: dest, port: 8080, cmd: ["node", "server.js"] });
  });

  it("refuses a final stage with RUN: the image would differ from the replay", () => {
    const df = parseDockerfile(`${base}ENV PORT=1\nRUN touch x\nCMD ["node", "server.js"]\n`);
    expect(() => replayFinalStage(df, repo, dest)).toThrow(/RUN/);
  });

  it("refuses a COPY from the build context and a missing source", () => {
    const fromContext = parseDockerfile(`${base}ENV PORT=1\nCOPY out ./\nCMD ["node", "server.js"]\n`);
    expect(() => replayFinalStage(fromContext, repo, dest)).toThrow(/--from/);
    const missing = parseDockerfile(`${base}ENV PORT=1\nCOPY --from=builder /src/nope ./\nCMD ["node", "server.js"]\n`);
    expect(() => replayFinalStage(missing, repo, dest)).toThrow(/does not exist/);
  });
});
