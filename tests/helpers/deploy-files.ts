import { readFileSync } from "node:fs";
import path from "node:path";
import { parseDockerfile, type Dockerfile } from "./dockerfile";

/** The files that describe a deployment, read from the repository root. */

export const REPO_ROOT = path.resolve(import.meta.dirname, "..", "..");
export const SPACE_HEADER_FILE = "docs/space-readme-header.md";
export const WORKFLOW_FILE = ".github/workflows/ci.yml";

export function readRepoFile(file: string): string {
  return readFileSync(path.join(REPO_ROOT, file), "utf8");
}

export function readDockerfile(): Dockerfile {
  return parseDockerfile(readRepoFile("Dockerfile"));
}

/**
 * The YAML front matter at the very top of a Markdown file (`---` … `---`), as flat
 * `key: value` pairs: the shape a Space's README header has. Undefined when there is none.
 */
export function frontMatter(markdown: string): { block: string; fields: Record<string, string> } | undefined {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(markdown);
  if (!match) return undefined;
  const fields: Record<string, string> = {};
  for (const line of match[1]!.split(/\r?\n/)) {
    const kv = /^([A-Za-z_][\w-]*):\s*(.*?)\s*$/.exec(line);
    if (!kv) continue;
    fields[kv[1]!] = kv[2]!.replace(/^(["'])(.*)\1$/, "$2");
  }
  return { block: match[0].trimEnd(), fields };
}

/** The few facts of the CI workflow that must agree with the Dockerfile and the README. */
export function workflowFacts(yaml: string) {
  const matrix = /^\s*node:\s*\[([^\]]*)\]/m.exec(yaml)?.[1];
  return {
    nodeMatrix: matrix ? matrix.split(",").map((v) => Number(v.trim().replace(/["']/g, ""))) : [],
    /** Every `node-version:` that is a literal (not the matrix expression). */
    literalNodeVersions: [...yaml.matchAll(/node-version:\s*["']?(\d+)["']?\s*$/gm)].map((m) => Number(m[1])),
    runCommands: [...yaml.matchAll(/^\s*(?:-\s*)?run:\s*(.+?)\s*$/gm)].map((m) => m[1]!),
    caches: [...yaml.matchAll(/^\s*cache:\s*(\S+)\s*$/gm)].map((m) => m[1]!),
  };
}
