// cli: recording a no-op `recomp automate` run for replay (engine/memo): what it consulted (observed while
// it runs), what it printed (its plain lines on stderr, captured) and what a replay prints on stdout (the
// --json summary of the replay's manifest). A run that may not be replayed removes an older record.
import type { RunManifest } from "../config/run-manifest.js";
import { FileSystemObserver } from "../engine/memo/observe.js";
import { forgetWitness, runContext, witnessFile, writeWitness } from "../engine/memo/witness.js";
import { listRuns } from "../engine/run-history.js";
import type { AutomateResult } from "../engine/runner.js";

export class NoOpRecording {
  private readonly stderr: string[] = [];
  private readonly restoreStderr: () => void;

  private constructor(
    private readonly file: string,
    private readonly context: string,
    private readonly observer: FileSystemObserver,
  ) {
    const stream = process.stderr;
    const own = Object.getOwnPropertyDescriptor(stream, "write");
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    const captured = this.stderr;
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      captured.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      return write(chunk, ...rest);
    });
    this.restoreStderr = () => {
      if (own === undefined) Reflect.deleteProperty(stream, "write");
      else Object.defineProperty(stream, "write", own);
    };
  }

  /** Starts recording this command's run; undefined when there is no cache folder or the output is the live list. */
  static start(argv: readonly string[], live: boolean): NoOpRecording | undefined {
    const file = witnessFile(argv);
    if (file === undefined || live) return undefined;
    return new NoOpRecording(file, runContext(argv), FileSystemObserver.start());
  }

  /** Ends the recording: the record written when the run may be replayed, else any older one removed. */
  async finish(result: AutomateResult | undefined, exitCode: number, jsonSummary: ((manifest: RunManifest) => Promise<string>) | undefined): Promise<void> {
    this.restoreStderr();
    const observation = this.observer.stop();
    const replayable = result?.replayable;
    if (result === undefined || replayable === undefined || observation.opaque) {
      forgetWitness(this.file);
      return;
    }
    writeWitness(this.file, {
      context: this.context,
      facts: observation.facts,
      workRoot: replayable.workRoot,
      stateDir: replayable.stateDir,
      runs: await listRuns(replayable.workRoot),
      keepRuns: replayable.keepRuns,
      runId: result.manifest.run_id,
      manifestPath: result.manifestPath,
      manifestText: replayable.manifestText,
      stdout: jsonSummary === undefined ? "" : await jsonSummary(replayable.manifest),
      stderr: this.stderr.join(""),
      exitCode,
    });
  }
}
