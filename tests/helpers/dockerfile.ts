import { chmodSync, chownSync, cpSync, existsSync, lstatSync, mkdirSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

/**
 * Reads the project's Dockerfile so the standalone smoke test can replay its final stage on the
 * host (no Docker engine runs here) and the config test can compare it with the Space front
 * matter and the CI workflow. Only the subset of Dockerfile syntax the project uses is
 * understood; anything else in the final stage is an error, so the replay cannot silently differ
 * from the image.
 */

export type CopyStep = { from?: string; chown?: string; sources: string[]; dest: string; line: number };

export type Stage = {
  name?: string;
  base: string;
  workdir: string;
  env: Record<string, string>;
  copies: CopyStep[];
  runs: string[];
  user?: string;
  expose: number[];
  cmd?: string[];
  healthcheck?: string[];
  /** Every instruction keyword of the stage, in order. */
  keywords: string[];
};

export type Dockerfile = { args: Record<string, string>; stages: Stage[] };

type Instruction = { keyword: string; args: string; line: number };

/** Joins `\` continuations and drops comments and blank lines, as Docker's parser does. */
function instructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  let pending: { parts: string[]; line: number } | undefined;
  text.split(/\r?\n/).forEach((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed.startsWith("#") || (trimmed === "" && !pending)) return;
    const continued = /\\\s*$/.test(raw);
    const part = continued ? raw.replace(/\\\s*$/, "") : raw;
    if (pending) pending.parts.push(part.trim());
    else pending = { parts: [part.trim()], line: index + 1 };
    if (continued) return;
    const joined = pending.parts.filter(Boolean).join(" ");
    const match = /^(\S+)\s*(.*)$/s.exec(joined);
    if (match) out.push({ keyword: match[1]!.toUpperCase(), args: match[2]!.trim(), line: pending.line });
    pending = undefined;
  });
  return out;
}

/** Splits on whitespace, honouring double and single quotes (ENV values, COPY paths). */
function words(args: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|([^\s"']+)/g;
  let current = "";
  let last = -1;
  for (let m = re.exec(args); m; m = re.exec(args)) {
    const piece = m[1] !== undefined ? m[1].replace(/\\(.)/g, "$1") : (m[2] ?? m[3]!);
    // Adjacent pieces (KEY="a b") belong to one word.
    if (last === m.index && out.length > 0) current = out.pop()! + piece;
    else current = piece;
    out.push(current);
    last = re.lastIndex;
  }
  return out;
}

function substitute(value: string, vars: Record<string, string>): string {
  return value.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a: string | undefined, b: string | undefined) => vars[(a ?? b)!] ?? "");
}

function execForm(args: string, where: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(args);
  } catch {
    throw new Error(`${where}: only the exec (JSON array) form is supported, got ${args}`);
  }
  if (!Array.isArray(parsed) || !parsed.every((p) => typeof p === "string")) {
    throw new Error(`${where}: expected a JSON array of strings`);
  }
  return parsed;
}

export function parseDockerfile(text: string): Dockerfile {
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const ins of instructions(text)) {
    const where = `Dockerfile line ${ins.line} (${ins.keyword})`;
    const stage = stages.at(-1);
    if (ins.keyword === "FROM") {
      const [image, as, name] = words(ins.args).filter((w) => !w.startsWith("--"));
      if (!image) throw new Error(`${where}: no image`);
      stages.push({
        name: as?.toUpperCase() === "AS" ? name : undefined,
        base: substitute(image, args),
        workdir: "/",
        env: {},
        copies: [],
        runs: [],
        expose: [],
        keywords: ["FROM"],
      });
      continue;
    }
    if (!stage) {
      if (ins.keyword !== "ARG") throw new Error(`${where}: only ARG may come before the first FROM`);
      const [name, value = ""] = ins.args.split("=", 2) as [string, string?];
      args[name.trim()] = value.trim();
      continue;
    }
    stage.keywords.push(ins.keyword);
    switch (ins.keyword) {
      case "WORKDIR":
        stage.workdir = path.posix.resolve(stage.workdir, substitute(ins.args, stage.env));
        break;
      case "ENV": {
        const ws = words(ins.args);
        if (ws.length > 0 && !ws[0]!.includes("=")) {
          stage.env[ws[0]!] = ins.args.slice(ins.args.indexOf(ws[0]!) + ws[0]!.length).trim();
        } else {
          for (const w of ws) {
            const eq = w.indexOf("=");
            if (eq <= 0) throw new Error(`${where}: cannot read ${w}`);
            stage.env[w.slice(0, eq)] = w.slice(eq + 1);
          }
        }
        break;
      }
      case "COPY": {
        const ws = words(ins.args);
        const flags = ws.filter((w) => w.startsWith("--"));
        const paths = ws.filter((w) => !w.startsWith("--"));
        if (paths.length < 2) throw new Error(`${where}: expected sources and a destination`);
        const flag = (name: string) => flags.find((f) => f.startsWith(`--${name}=`))?.slice(name.length + 3);
        stage.copies.push({ from: flag("from"), chown: flag("chown"), sources: paths.slice(0, -1), dest: paths.at(-1)!, line: ins.line });
        break;
      }
      case "RUN":
        stage.runs.push(ins.args);
        break;
      case "USER":
        stage.user = ins.args;
        break;
      case "EXPOSE":
        stage.expose.push(...words(ins.args).map((p) => Number.parseInt(p, 10)));
        break;
      case "CMD":
        stage.cmd = execForm(ins.args, where);
        break;
      case "HEALTHCHECK": {
        const at = ins.args.search(/(^|\s)CMD\s/);
        if (at === -1) throw new Error(`${where}: expected CMD`);
        stage.healthcheck = execForm(ins.args.slice(ins.args.indexOf("CMD", at) + 3).trim(), where);
        break;
      }
      default:
        // ARG inside a stage, LABEL, and so on: kept in `keywords` only.
        break;
    }
  }
  if (stages.length === 0) throw new Error("Dockerfile has no FROM");
  return { args, stages };
}

/** What the image runs: the final stage's working directory, environment, commands and user. */
export type RuntimeSpec = {
  workdir: string;
  env: Record<string, string>;
  cmd: string[];
  healthcheck?: string[];
  port: number;
  /** The numeric USER, when the replay could give the files to it (only root can chown). */
  user?: { uid: number; gid: number };
};

function numericIds(spec: string | undefined): { uid: number; gid: number } | undefined {
  const match = spec ? /^(\d+)(?::(\d+))?$/.exec(spec.trim()) : null;
  return match ? { uid: Number(match[1]), gid: Number(match[2] ?? match[1]) } : undefined;
}

/**
 * `COPY --chown` on the host. A destination directory that existed before the copy (the WORKDIR)
 * keeps its owner, the stricter of Docker's possible outcomes. Symlinks are left alone: chown
 * would follow them.
 */
function chownTree(target: string, ids: { uid: number; gid: number }, includeRoot: boolean): void {
  if (includeRoot) chownSync(target, ids.uid, ids.gid);
  if (!lstatSync(target).isDirectory()) return;
  for (const entry of readdirSync(target, { recursive: true }) as string[]) {
    const file = path.join(target, entry);
    if (!lstatSync(file).isSymbolicLink()) chownSync(file, ids.uid, ids.gid);
  }
}

/** Instructions the host replay knows how to reproduce (or that change nothing it checks). */
const REPLAYABLE = new Set(["FROM", "WORKDIR", "ENV", "COPY", "USER", "EXPOSE", "HEALTHCHECK", "CMD", "LABEL"]);

/**
 * Replays the final stage's `COPY --from=<build stage>` lines into `dest`, with the repository
 * root standing for the build stage's WORKDIR. Returns how the image starts its server.
 */
export function replayFinalStage(dockerfile: Dockerfile, repoRoot: string, dest: string): RuntimeSpec {
  const final = dockerfile.stages.at(-1)!;
  const unsupported = final.keywords.filter((k) => !REPLAYABLE.has(k));
  if (unsupported.length > 0) {
    throw new Error(`The Dockerfile's final stage uses ${unsupported.join(", ")}, which the host replay cannot reproduce`);
  }
  if (!final.cmd) throw new Error("The Dockerfile's final stage has no CMD");
  const port = Number.parseInt(final.env.PORT ?? "", 10);
  if (!Number.isInteger(port)) throw new Error("The Dockerfile's final stage sets no numeric PORT");

  mkdirSync(dest, { recursive: true });
  // `COPY --chown` and USER need root; elsewhere the files stay the caller's and it runs as itself.
  const asRoot = process.getuid?.() === 0;
  const user = asRoot ? numericIds(final.user) : undefined;
  if (user) {
    // The image's WORKDIR is reachable by its user; a temp dir's parent may not be.
    chmodSync(path.dirname(dest), 0o755);
    chmodSync(dest, 0o755);
  }
  for (const copy of final.copies) {
    const source = copy.from === undefined ? undefined : dockerfile.stages.find((s) => s.name === copy.from);
    if (!source) throw new Error(`Dockerfile line ${copy.line}: COPY must name a build stage with --from`);
    // `dest` stands for the final stage's WORKDIR.
    const inWorkdir = path.posix.relative(final.workdir, path.posix.resolve(final.workdir, copy.dest));
    if (inWorkdir.startsWith("..")) throw new Error(`Dockerfile line ${copy.line}: ${copy.dest} is outside the WORKDIR`);
    const target = path.join(dest, inWorkdir);
    for (const src of copy.sources) {
      const abs = path.posix.resolve(source.workdir, src);
      const rel = path.posix.relative(source.workdir, abs);
      if (rel.startsWith("..")) throw new Error(`Dockerfile line ${copy.line}: ${src} is outside the build stage's WORKDIR`);
      const from = path.join(repoRoot, rel);
      if (!existsSync(from)) throw new Error(`Dockerfile line ${copy.line}: ${from} does not exist (did \`next build\` run?)`);
      if (statSync(from).isDirectory()) {
        // Docker copies a directory's contents into the destination.
        const existed = existsSync(target);
        cpSync(from, target, { recursive: true, verbatimSymlinks: true });
        const owner = asRoot ? numericIds(copy.chown) : undefined;
        if (owner) chownTree(target, owner, !existed);
      } else {
        const intoDir = copy.dest.endsWith("/") || copy.dest === "." || copy.sources.length > 1;
        const file = intoDir ? path.join(target, path.basename(from)) : target;
        mkdirSync(path.dirname(file), { recursive: true });
        cpSync(from, file);
        const owner = asRoot ? numericIds(copy.chown) : undefined;
        if (owner) chownTree(file, owner, true);
      }
    }
  }
  return { workdir: dest, env: { ...final.env }, cmd: final.cmd, healthcheck: final.healthcheck, port, user };
}

/** `node:20-bookworm-slim` → 20; undefined for another image or no major. */
export function nodeMajorOf(image: string): number | undefined {
  const match = /^(?:docker\.io\/)?(?:library\/)?node:(\d+)/.exec(image);
  return match ? Number(match[1]) : undefined;
}
