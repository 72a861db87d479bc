// engine: every path a run consults, lists or writes, and whether it starts a process, observed at
// Node's file-system and child-process modules while `recomp automate` runs. A no-op re-run's decision
// rests on all of them (config files, inputs, outputs, stage records, tools on PATH, recomp's own
// build, the folders checked for a git repository); observing the modules, rather than listing the
// engine's call sites, cannot miss one that a later change adds.
import childProcess from "node:child_process";
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import workerThreads from "node:worker_threads";
import { factValue, type Fact, type FactKind } from "./facts.js";

/** Paths whose state says nothing about the project (the process's own /proc entries change every run). */
const systemFolders = ["/proc/", "/sys/", "/dev/"];

type Role = "state" | "listing" | "write" | "open";
/** Each observed function, by the role of its arguments: a path, or [source, destination]. */
const pathFunctions: Record<string, Role | [Role, Role]> = {
  access: "state", exists: "state", stat: "state", lstat: "state", readFile: "state", readlink: "state",
  realpath: "state", createReadStream: "state", statfs: "state",
  readdir: "listing", opendir: "listing",
  open: "open",
  writeFile: "write", appendFile: "write", mkdir: "write", mkdtemp: "write", rm: "write", rmdir: "write",
  unlink: "write", truncate: "write", chmod: "write", lchmod: "write", chown: "write", lchown: "write",
  utimes: "write", lutimes: "write", createWriteStream: "write",
  rename: ["write", "write"], link: ["state", "write"], symlink: ["state", "write"], copyFile: ["state", "write"],
  cp: ["state", "write"],
};
const processFunctions = ["spawn", "spawnSync", "exec", "execSync", "execFile", "execFileSync", "fork"];

export interface Observation {
  /** Everything the run consulted (and the folders above it), as it was when first consulted or, if the run changed it, as it is now. */
  facts: Fact[];
  /** Whether the run started a process or thread, or did something whose reads cannot be listed (a recursive listing or copy). */
  opaque: boolean;
}

function pathOf(value: unknown): string | undefined {
  if (typeof value === "string") return resolve(value);
  if (Buffer.isBuffer(value)) return resolve(value.toString());
  if (value instanceof URL && value.protocol === "file:") return fileURLToPath(value);
  return undefined;
}

export class FileSystemObserver {
  /** By kind and path: each as first consulted. */
  private readonly consulted = new Map<string, Fact>();
  private readonly written = new Set<string>();
  private opaque = false;
  /** Set while the observer reads a path's state itself: its own calls are not the run's. */
  private reading = false;
  private readonly restores: (() => void)[] = [];

  /** Starts observing (until stop()). */
  static start(): FileSystemObserver {
    const observer = new FileSystemObserver();
    for (const target of [fs as unknown as Record<string, unknown>, fs.promises as unknown as Record<string, unknown>]) {
      for (const [name, role] of Object.entries(pathFunctions)) {
        observer.wrap(target, name, (args) => observer.note(name, role, args));
        observer.wrap(target, `${name}Sync`, (args) => observer.note(name, role, args));
      }
    }
    for (const name of processFunctions) observer.wrap(childProcess, name, () => (observer.opaque = true));
    observer.wrapWorker();
    syncBuiltinESMExports();
    return observer;
  }

  /** Stops observing and returns what was seen. */
  stop(): Observation {
    for (const restore of this.restores.reverse()) restore();
    syncBuiltinESMExports();
    const facts: Fact[] = [];
    for (const seen of this.consulted.values()) {
      const { path, kind } = seen;
      const changed = kind === "state" ? this.wroteAtOrAbove(path) : this.wroteIn(path);
      const value = changed ? factValue(path, kind) : seen.value;
      // What the run made and removed again (its lock, temporaries, dropped history folders) decided nothing;
      // the listing of a folder it made them in still tells if one appears.
      if (changed && kind === "state" && value === "!ENOENT") continue;
      facts.push({ path, kind, value });
    }
    facts.sort((a, b) => (a.path === b.path ? a.kind.localeCompare(b.kind) : a.path < b.path ? -1 : 1));
    return { facts, opaque: this.opaque };
  }

  private wrap(target: Record<string, unknown>, name: string, before: (args: unknown[]) => void): void {
    const original = target[name];
    if (typeof original !== "function") return;
    const wrapped = function (this: unknown, ...args: unknown[]): unknown {
      before(args);
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    };
    // realpathSync.native, promisify.custom: the original's own properties stay reachable.
    Object.defineProperties(wrapped, Object.getOwnPropertyDescriptors(original));
    if (typeof (original as { native?: unknown }).native === "function") this.wrap(wrapped as unknown as Record<string, unknown>, "native", before);
    target[name] = wrapped;
    this.restores.push(() => (target[name] = original));
  }

  private wrapWorker(): void {
    const threads = workerThreads as unknown as { Worker: typeof workerThreads.Worker };
    const Original = threads.Worker;
    const mark = () => (this.opaque = true);
    threads.Worker = class extends Original {
      constructor(...args: ConstructorParameters<typeof Original>) {
        mark();
        super(...args);
      }
    };
    this.restores.push(() => (threads.Worker = Original));
  }

  private note(name: string, role: Role | [Role, Role], args: unknown[]): void {
    // A run that started a process cannot be replayed: what else it consults no longer matters.
    if (this.reading || this.opaque) return;
    this.reading = true;
    try {
      this.noteArguments(name, role, args);
    } finally {
      this.reading = false;
    }
  }

  private noteArguments(name: string, role: Role | [Role, Role], args: unknown[]): void {
    const roles = Array.isArray(role) ? role : [role];
    roles.forEach((one, index) => {
      const path = pathOf(args[index]);
      if (path === undefined || systemFolders.some((folder) => path.startsWith(folder))) return;
      if (name === "cp" || (one === "listing" && (args[1] as { recursive?: boolean } | undefined)?.recursive === true)) this.opaque = true;
      if (one === "open") {
        const flags = args[1];
        if (flags !== undefined && flags !== "r" && flags !== fs.constants.O_RDONLY) this.written.add(path);
        this.consult(path, "state");
      } else if (one === "write") this.written.add(path);
      else this.consult(path, one);
    });
  }

  /** Records the path's state (and each folder above it) the first time the run consults it. */
  private consult(path: string, kind: FactKind): void {
    if (kind === "listing") this.consult(path, "state");
    const key = `${kind}:${path}`;
    if (this.consulted.has(key)) return;
    this.consulted.set(key, { path, kind, value: factValue(path, kind) });
    const parent = dirname(path);
    if (parent !== path) this.consult(parent, "state");
  }

  private wroteAtOrAbove(path: string): boolean {
    for (let at = path; ; at = dirname(at)) {
      if (this.written.has(at)) return true;
      if (dirname(at) === at) return false;
    }
  }

  private wroteIn(folder: string): boolean {
    for (const path of this.written) if (path.startsWith(`${folder}/`) || path === folder) return true;
    return false;
  }
}
