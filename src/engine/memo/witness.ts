// engine: the record of a no-op re-run ("witness"): every fact its decision consulted (facts.ts), the
// process's context, and what such a run writes and prints. When all of it still holds, the next
// identical command's run would decide the same: replay.ts then writes and prints what the record says,
// under a new run id, without loading the engine. Kept in recomp's cache folder (one file per folder
// and command line), never in the project. The file is recomp's own and checked by its SHA-256 header
// rather than by a schema, so that reading it loads no schema library: a damaged, foreign or older one
// is ignored (the engine runs) and replaced.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { liveOutputAllowed } from "../fit-width.js";
import { hostFingerprint } from "../host-fingerprint.js";
import { canonicalJson } from "../../util/canonical-json.js";
import { recompCacheDir } from "../../util/recomp-cache.js";
import type { Fact } from "./facts.js";

const witnessVersion = 1;
const shellBookkeeping = new Set(["_", "OLDPWD"]);

export interface Witness {
  version: number;
  /** runContext() of the recorded run. */
  context: string;
  facts: Fact[];
  workRoot: string;
  stateDir: string;
  /** The run history's ids after the recorded run, oldest first, and how many it keeps. */
  runs: string[];
  keepRuns: number;
  /** The recorded run's id: replaced by the new run's id wherever it appears in the texts below. */
  runId: string;
  manifestPath: string;
  manifestText: string;
  stdout: string;
  stderr: string;
  exitCode: number;
}

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest();

/** What decides a run besides the files: the command line, folder, environment, Node, user, machine and output kind. */
export function runContext(argv: readonly string[]): string {
  // Less the shell's own bookkeeping, which differs with how recomp was started (`_` is the program
  // the shell ran: recomp, time, make) and which neither recomp nor a no-op run (it starts no process) reads.
  const environment = Object.entries(process.env)
    .filter(([name]) => !shellBookkeeping.has(name))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return canonicalJson({
    argv: argv.slice(2),
    cwd: process.cwd(),
    node: [process.execPath, process.version, process.arch, process.platform],
    user: [process.getuid?.() ?? -1, process.getgid?.() ?? -1],
    host: hostFingerprint(),
    // Its digest only: the environment may hold secrets, which have no place in a cache file.
    env: sha256(canonicalJson(environment)).toString("hex"),
    live: liveOutputAllowed(process.stderr),
  });
}

/** The record's file for this folder and command line; undefined when caching is off. */
export function witnessFile(argv: readonly string[]): string | undefined {
  const cache = recompCacheDir();
  if (cache === undefined) return undefined;
  return join(cache, "noop", `${sha256(canonicalJson([process.cwd(), argv.slice(2)])).toString("hex")}.json`);
}

export function readWitness(file: string): Witness | undefined {
  try {
    const data = readFileSync(file);
    const payload = data.subarray(65);
    if (data.subarray(0, 64).toString("latin1") !== sha256(payload).toString("hex")) return undefined;
    const witness = JSON.parse(payload.toString("utf8")) as Witness;
    return witness.version === witnessVersion ? witness : undefined;
  } catch {
    return undefined;
  }
}

/** Written whole (a temporary renamed into place); a cache that cannot be written only costs the next run the engine. */
export function writeWitness(file: string, witness: Omit<Witness, "version">): void {
  const payload = Buffer.from(JSON.stringify({ version: witnessVersion, ...witness }));
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(join(file, ".."), { recursive: true });
    writeFileSync(temporary, Buffer.concat([Buffer.from(`${sha256(payload).toString("hex")}\n`, "latin1"), payload]));
    renameSync(temporary, file);
  } catch {
    rmSync(temporary, { force: true });
  }
}

/** A record that no longer holds is removed, so that the next no-op run records afresh. */
export function forgetWitness(file: string): void {
  rmSync(file, { force: true });
}
