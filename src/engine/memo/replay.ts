// engine: a no-op re-run without the engine. When the record of the last no-op run of this command
// (witness.ts) still holds, fact for fact, the engine would decide the same: every stage reused or
// skipped. The replay then does what that run did: takes the work root's lock (lock.ts), checks the
// facts again under it, adds a run to the history, writes the run manifest, prints the same lines,
// under a new run id. Anything else (a changed fact, a held lock, an error) hands the command to the
// engine, which decides from scratch. Node built-ins and recomp's small utilities only (no schema
// library, no engine): its bundle (dist/bundle/replay.cjs) is what a no-op re-run loads.
import { randomUUID } from "node:crypto";
import { dirname } from "node:path";
import { writeFileAtomic } from "../../util/atomic-write.js";
import { acquireLock } from "../lock.js";
import { keptManifestFile, runsDir, runsIndexFile, startRunFolder } from "../run-folders.js";
import { factValue, firstChanged, type Fact } from "./facts.js";
import { readWitness, runContext, witnessFile, writeWitness, type Witness } from "./witness.js";

/** The command's exit code when the record held and was replayed; undefined when the engine must run. */
export async function replayNoOp(argv: readonly string[]): Promise<number | undefined> {
  const file = witnessFile(argv);
  const witness = file === undefined ? undefined : readWitness(file);
  if (file === undefined || witness === undefined) return undefined;
  if (witness.context !== runContext(argv) || firstChanged(witness.facts) !== undefined) return undefined;
  const runId = randomUUID();
  let lock;
  try {
    lock = await acquireLock(witness.stateDir, witness.workRoot, runId);
  } catch {
    return undefined;
  }
  let next: Witness;
  try {
    // A run that ended between the check and the lock may have changed what the record says (its stage
    // records, manifest and history); the state folder's listing now holds this run's lock.
    const held = (fact: Fact) => fact.kind === "listing" && fact.path === witness.stateDir;
    if (lock.stoppedLeftovers > 0 || firstChanged(witness.facts, held) !== undefined) return undefined;
    await writeRun(witness, runId);
    // Under the lock: what the replay wrote, as no other run has changed it yet.
    next = renewed(witness, runId);
  } catch {
    return undefined;
  } finally {
    await lock.release();
  }
  writeWitness(file, next);
  const named = (text: string) => text.replaceAll(witness.runId, runId);
  const printed = await Promise.all([print(process.stdout, named(witness.stdout)), print(process.stderr, named(witness.stderr))]);
  // A closed output ends the run as it ends the engine's: as a failed stage.
  return printed.every(Boolean) ? witness.exitCode : 3;
}

function print(stream: NodeJS.WriteStream, text: string): Promise<boolean> {
  if (text === "") return Promise.resolve(true);
  return new Promise((done) => {
    stream.once("error", () => done(false));
    stream.write(text, (error) => done(error === undefined || error === null));
  });
}

/** Adds the run to the history and writes its manifest where the engine does. */
async function writeRun(witness: Witness, runId: string): Promise<void> {
  const { runDir } = await startRunFolder(witness.workRoot, witness.runs, runId, witness.keepRuns);
  const manifest = witness.manifestText.replaceAll(witness.runId, runId);
  await writeFileAtomic(witness.manifestPath, manifest);
  await writeFileAtomic(keptManifestFile(runDir), manifest);
}

/**
 * The record after this replay: its run in the history, and the facts about what the replay wrote (the
 * history's index, the manifest) and the folders it wrote in as they are now. The state folder's listing
 * stays as recorded: the replay's lock, its only entry there, goes when it ends. The texts keep the
 * recorded run's id, which the next replay replaces again.
 */
function renewed(witness: Witness, runId: string): Witness {
  const files = new Set([runsIndexFile(witness.workRoot), witness.manifestPath]);
  const folders = new Set([runsDir(witness.workRoot), dirname(witness.manifestPath)]);
  const facts = witness.facts.map((fact): Fact => {
    const touched = fact.kind === "state" ? files.has(fact.path) : folders.has(fact.path);
    return touched ? { ...fact, value: factValue(fact.path, fact.kind) } : fact;
  });
  const history = [...witness.runs, runId];
  return { ...witness, facts, runs: history.slice(Math.max(0, history.length - witness.keepRuns)) };
}
