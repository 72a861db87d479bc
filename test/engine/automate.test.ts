import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { readFile, rm, utimes, writeFile, appendFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { editConfig, makeProject, readManifest, recomp, recompBin, referenceFrameHashes, removeProject, stepStates } from "./fixture.js";

let dir: string;

beforeEach(async () => {
  dir = await makeProject();
});
afterEach(async () => {
  await removeProject(dir);
});

const automate = (...extra: string[]) => recomp(dir, ["automate", "--config", "automation.toml", ...extra]);
const skippedStages = { intake: "skipped", analysis: "skipped", lift: "skipped", extract_audio: "skipped", hash_audio: "skipped", emulate_reference: "skipped" };
const allRan = { ...skippedStages, pipeline: "ran", build: "ran", run: "ran", capture: "ran", extract_frames: "ran", hash_frames: "ran", validate: "ran", archive: "ran" };
const allReused = { ...skippedStages, pipeline: "reused", build: "reused", run: "reused", capture: "reused", extract_frames: "reused", hash_frames: "reused", validate: "reused", archive: "reused" };

describe("recomp automate: stage reuse", () => {
  it("runs every stage once, then reuses every stage when nothing changed", async () => {
    expect((await automate()).code).toBe(0);
    expect(stepStates(await readManifest(dir))).toEqual(allRan);
    const second = await automate();
    expect(second.code).toBe(0);
    const manifest = await readManifest(dir);
    expect(stepStates(manifest)).toEqual(allReused);
    expect(manifest.steps.find((s) => s.name === "build")?.notes).toEqual(["reused: fingerprint unchanged, 1 outputs verified"]);
  });

  it("re-runs run and capture when commands.run changes, and stops where capture's output comes out identical", async () => {
    await automate();
    await editConfig(dir, 'echo running;', 'echo running again;');
    expect((await automate()).code).toBe(0);
    const manifest = await readManifest(dir);
    // run declares no outputs, so capture runs; its video is byte-identical, so nothing after it does.
    expect(stepStates(manifest)).toEqual({ ...allReused, run: "ran", capture: "ran" });
    expect(manifest.steps.find((s) => s.name === "run")?.notes[0]).toBe(
      'ran: changed: setting argv ["sh","-c","echo running; echo to-stderr >&2"] -> ["sh","-c","echo running again; echo to-stderr >&2"]',
    );
    const capture = manifest.steps.find((s) => s.name === "capture");
    expect(capture?.notes[0]).toBe("ran: upstream run: it re-ran and declares no outputs to compare");
    expect(capture?.notes).toContain("outputs byte-identical to the previous run: later stages are not re-run for it");
  });

  it("re-runs nothing when an input is only touched, and its dependents when one byte changes", async () => {
    await automate();
    const later = new Date(Date.now() + 60_000);
    await utimes(join(dir, "build.sh"), later, later);
    await utimes(join(dir, "module.json"), later, later);
    await automate();
    expect(stepStates(await readManifest(dir))).toEqual(allReused);
    const before = createHash("sha256").update(await readFile(join(dir, "build.sh"))).digest("hex");
    await writeFile(join(dir, "build.sh"), "mkdir -p work/build && echo built again > work/build/app.txt\n");
    const after = createHash("sha256").update(await readFile(join(dir, "build.sh"))).digest("hex");
    await automate();
    const manifest = await readManifest(dir);
    expect(stepStates(manifest)).toEqual({ ...allReused, build: "ran", run: "ran", capture: "ran" });
    // The reason names the file with its old and new hash, and the upstream output that changed.
    expect(manifest.steps.find((s) => s.name === "build")?.notes[0]).toBe(`ran: changed: file build.sh ${before.slice(0, 12)}… -> ${after.slice(0, 12)}…`);
    expect(manifest.steps.find((s) => s.name === "run")?.notes[0]).toMatch(/^ran: upstream build: output work\/build\/app\.txt [0-9a-f]{12}… -> [0-9a-f]{12}…$/);
  });

  it("says exactly why a stage re-ran: kept on the plain console after it ends, in --json and in the manifest", async () => {
    await automate();
    const before = createHash("sha256").update(await readFile(join(dir, "build.sh"))).digest("hex").slice(0, 12);
    await writeFile(join(dir, "build.sh"), "mkdir -p work/build && echo built again > work/build/app.txt\n");
    const after = createHash("sha256").update(await readFile(join(dir, "build.sh"))).digest("hex").slice(0, 12);
    const why = `changed: file build.sh ${before}… -> ${after}…`;
    const plain = await automate();
    // Not a terminal: one line per event, and the line that ends the stage still names the reason.
    const ended = plain.stderr.split("\n").find((line) => line.startsWith("build: ran in "));
    expect(ended).toMatch(/^build: ran in \d+\.\d+s \(/);
    expect(ended?.endsWith(` (${why})`), ended).toBe(true);
    expect(plain.stderr).toMatch(/^run: ran in \d+\.\d+s \(upstream build: output work\/build\/app\.txt [0-9a-f]{12}… -> [0-9a-f]{12}…\)$/m);
    const manifest = await readManifest(dir);
    expect(manifest.steps.find((s) => s.name === "build")?.notes[0]).toBe(`ran: ${why}`);
    await writeFile(join(dir, "build.sh"), "mkdir -p work/build && echo built > work/build/app.txt\n");
    const json = await automate("--json");
    const summary = JSON.parse(json.stdout) as { steps: { name: string; notes: string[] }[] };
    expect(summary.steps.find((s) => s.name === "build")?.notes[0]).toBe(`ran: changed: file build.sh ${after}… -> ${before}…`);
    expect((await readManifest(dir)).steps.find((s) => s.name === "build")?.notes[0]).toBe(`ran: changed: file build.sh ${after}… -> ${before}…`);
  });

  it("re-runs the stage that produced a deleted or edited frame, and what follows it", async () => {
    await automate();
    await rm(join(dir, "work/capture/frames/0002.ppm"));
    await automate();
    let manifest = await readManifest(dir);
    // The frames come out identical again: hashing and validation are not repeated.
    const downstream = { extract_frames: "ran" };
    expect(stepStates(manifest)).toEqual({ ...allReused, ...downstream });
    expect(manifest.steps.find((s) => s.name === "extract_frames")?.notes[0]).toBe("ran: output work/capture/frames/0002.ppm is missing");
    await appendFile(join(dir, "work/capture/frames/0003.ppm"), "x");
    await automate();
    manifest = await readManifest(dir);
    expect(stepStates(manifest)).toEqual({ ...allReused, ...downstream });
    expect(manifest.steps.find((s) => s.name === "extract_frames")?.notes[0]).toMatch(
      /^ran: output work\/capture\/frames\/0003\.ppm changed \([0-9a-f]{12}… 35 bytes -> [0-9a-f]{12}… 36 bytes\)$/,
    );
  });

  it("re-runs a failed stage with stage_attempt + 1 while upstream stays reused", async () => {
    await editConfig(dir, 'run = ["sh", "-c", "echo running; echo to-stderr >&2"]', 'run = ["sh", "-c", "echo partial output; echo broken >&2; exit 7"]');
    const failed = await automate();
    expect(failed.code).toBe(3);
    let manifest = await readManifest(dir);
    const run = manifest.steps.find((s) => s.name === "run");
    expect(run).toMatchObject({ status: "failed", exit_code: 7, stage_attempt: 1 });
    expect(stepStates(manifest)).toMatchObject({ build: "ran", capture: "skipped", validate: "skipped", archive: "skipped" });
    expect(manifest.result).toEqual({ status: "stage_failed", exit_code: 3 });
    // A failed command's output is kept, complete.
    expect(await readFile(join(dir, "work/logs/run.stdout.log"), "utf8")).toBe("partial output\n");
    expect(await readFile(join(dir, "work/logs/run.stderr.log"), "utf8")).toBe("broken\n");
    expect((await automate()).code).toBe(3);
    manifest = await readManifest(dir);
    expect(manifest.steps.find((s) => s.name === "run")).toMatchObject({ status: "failed", stage_attempt: 2 });
    expect(stepStates(manifest).build).toBe("reused");
  });

  it("--force re-runs everything, --from re-runs from a stage on, --no-resume ignores records", async () => {
    await automate();
    await automate("--force");
    expect(stepStates(await readManifest(dir))).toEqual(allRan);
    await automate("--from", "capture");
    expect(stepStates(await readManifest(dir))).toEqual({ ...allRan, pipeline: "reused", build: "reused", run: "reused" });
    await automate("--no-resume");
    expect(stepStates(await readManifest(dir))).toEqual(allRan);
  });

  it("writes a manifest whose artifacts are exactly this run's, with relative paths", async () => {
    await automate();
    await editConfig(dir, '["node", "frames.mjs", "work/capture/frames", "3"]', '["sh", "-c", "rm -rf work/capture/frames && node frames.mjs work/capture/frames 2"]');
    expect((await automate()).code).toBe(1);
    const manifest = await readManifest(dir);
    const paths = manifest.artifacts.map((a) => a.path);
    expect(paths).toEqual([...paths].sort());
    expect(paths.filter((p) => p.startsWith("work/capture/frames/"))).toEqual(["work/capture/frames/0001.ppm", "work/capture/frames/0002.ppm"]);
    const text = await readFile(join(dir, "work/run-manifest.json"), "utf8");
    expect(text).not.toContain(dir);
    expect(manifest.tool_versions.sh).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("byte-identical manifests apart from run id and timings, and manifest diff says so", async () => {
    await automate();
    const first = await readFile(join(dir, "work/run-manifest.json"), "utf8");
    await writeFile(join(dir, "first.json"), first);
    await rm(join(dir, "work"), { recursive: true });
    await automate();
    const normalise = (text: string) => text.replace(/"run_id": "[^"]+"/, "").replace(/"duration_ms": \d+/g, "");
    expect(normalise(await readFile(join(dir, "work/run-manifest.json"), "utf8"))).toBe(normalise(first));
    const same = await recomp(dir, ["manifest", "diff", "first.json", "work/run-manifest.json"]);
    expect(same).toMatchObject({ code: 0, stdout: "no differences (run id, timings and replay notes ignored)\n" });
    await editConfig(dir, '"work/capture/frames", "3"]', '"work/capture/frames", "3", "1"]');
    expect((await automate()).code).toBe(1);
    const changed = await recomp(dir, ["manifest", "diff", "first.json", "work/run-manifest.json"]);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toContain("artifacts work/capture/frames/0001.ppm.sha256:");
    expect(changed.stdout).toContain("steps extract_frames.fingerprint:");
  });
});

describe("recomp automate: validation", () => {
  it("re-runs only validate and archive when a threshold changes, and exits 1 when validation fails", async () => {
    const reference = join(dir, "reference_video.toml");
    await appendFile(reference, "[validation.thresholds]\nframe_match_ratio = 1.0\n");
    expect((await automate()).code).toBe(0);
    await writeFile(reference, (await readFile(reference, "utf8")).replace("frame_match_ratio = 1.0", "frame_match_ratio = 0.5"));
    expect((await automate()).code).toBe(0);
    let manifest = await readManifest(dir);
    expect(stepStates(manifest)).toEqual({ ...allReused, validate: "ran", archive: "ran" });
    expect(manifest.steps.find((s) => s.name === "validate")?.notes[0]).toMatch(/^ran: changed: file reference_video\.toml [0-9a-f]{12}… -> [0-9a-f]{12}…$/);
    expect(manifest.validation_report).toEqual({ path: "work/validation/validation-report.json", passed: true });
    // One changed frame: the capture no longer matches the reference exactly.
    await writeFile(join(dir, "reference.frames"), [...referenceFrameHashes(2), referenceFrameHashes(3, 7)[2]].join("\n") + "\n");
    await writeFile(reference, (await readFile(reference, "utf8")).replace("frame_match_ratio = 0.5", "frame_match_ratio = 1.0"));
    const failed = await automate();
    expect(failed.code).toBe(1);
    manifest = await readManifest(dir);
    expect(manifest.result).toEqual({ status: "validation_failed", exit_code: 1 });
    expect(manifest.validation_report?.passed).toBe(false);
    expect(manifest.artifacts.map((a) => a.path)).toContain("work/archive/validation/validation-report.json");
  });
});

describe("recomp automate: commands", () => {
  it("stops a stage at its timeout and records why", async () => {
    await appendFile(join(dir, "automation.toml"), "[run]\nstage_timeout_minutes = 60\n[run.stage_timeouts]\nrun = 0.005\n");
    await editConfig(dir, 'run = ["sh", "-c", "echo running; echo to-stderr >&2"]', 'run = ["sh", "-c", "sleep 600 & sleep 600"]');
    // Not a timed assertion: if the group were not stopped, automate would wait out the sleeps and the test time out.
    const result = await automate();
    expect(result.code).toBe(3);
    const run = (await readManifest(dir)).steps.find((s) => s.name === "run");
    expect(run?.status).toBe("failed");
    expect(run?.notes.join(" ")).toContain("timed out after 0 s; its process group was stopped");
  });

  it("passes the RECOMP_* environment and runs in the config file's folder", async () => {
    await editConfig(dir, 'run = ["sh", "-c", "echo running; echo to-stderr >&2"]', 'run = ["sh", "-c", "pwd; env | grep ^RECOMP_ | sort"]');
    await automate();
    const log = await readFile(join(dir, "work/logs/run.stdout.log"), "utf8");
    const lines = log.trim().split("\n");
    expect(lines[0]).toBe(await import("node:fs/promises").then((fs) => fs.realpath(dir)));
    expect(log).toContain(`RECOMP_WORK_ROOT=${join(dir, "work")}\n`);
    expect(log).toContain("RECOMP_STAGE=run\n");
    expect(log).toContain(`RECOMP_LOG_DIR=${join(dir, "work/logs")}\n`);
    expect(log).toContain(`RECOMP_CAPTURE_FRAMES_DIR=${join(dir, "work/capture/frames")}\n`);
    expect(log).toMatch(/RECOMP_RUN_ID=[0-9a-f-]{36}\n/);
    expect(log).toContain("RECOMP_EXECUTION_MODE=local\n");
  });

  it("refuses a second run on the same work root while one runs, and records an interrupted stage", async () => {
    await editConfig(dir, 'run = ["sh", "-c", "echo running; echo to-stderr >&2"]', 'run = ["sh", "-c", "echo started; sleep 30"]');
    const child = spawn(process.execPath, [recompBin, "automate", "--config", "automation.toml"], { cwd: dir, env: { ...process.env, CI: "true" } });
    const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
    // Wait until the run stage's command has printed.
    for (let i = 0; i < 200; i += 1) {
      const log = await readFile(join(dir, "work/logs/run.stdout.log"), "utf8").catch(() => "");
      if (log.includes("started")) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const second = await automate();
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/another recomp automate \(pid \d+\) is running on the work root/);
    child.kill("SIGINT");
    expect(await exited).toBe(130);
    const manifest = await readManifest(dir);
    expect(manifest.steps.find((s) => s.name === "run")?.status).toBe("interrupted");
    expect(manifest.result.status).toBe("interrupted");
    expect((await readdir(join(dir, "work/.recomp"))).includes("lock")).toBe(false);
    // The next run resumes: build is reused, run goes again.
    await editConfig(dir, 'run = ["sh", "-c", "echo started; sleep 30"]', 'run = ["sh", "-c", "echo fine"]');
    await automate();
    expect(stepStates(await readManifest(dir))).toMatchObject({ build: "reused", run: "ran" });
  });
});

describe("recomp automate: analysis, policy and redaction", () => {
  it("runs the analysis command and requires every expected output", async () => {
    await appendFile(join(dir, "automation.toml"), '[analysis]\ncommand = ["sh", "-c", "mkdir -p work/analysis && echo names > work/analysis/names.json"]\nexpected_outputs = ["work/analysis/names.json", "work/analysis/trace.json"]\n');
    expect((await automate()).code).toBe(3);
    const analysis = (await readManifest(dir)).steps.find((s) => s.name === "analysis");
    expect(analysis?.status).toBe("failed");
    expect(analysis?.notes).toContain("the command succeeded but did not write work/analysis/trace.json");
    await editConfig(dir, "echo names > work/analysis/names.json", "echo names > work/analysis/names.json && echo t > work/analysis/trace.json");
    expect((await automate()).code).toBe(0);
    expect(stepStates(await readManifest(dir)).analysis).toBe("ran");
  });

  it("aborts a run that exceeds policy.max_runtime_minutes and records why", async () => {
    await appendFile(join(dir, "automation.toml"), "[policy]\nmax_runtime_minutes = 0.1\n");
    await editConfig(dir, 'run = ["sh", "-c", "echo running; echo to-stderr >&2"]', 'run = ["sleep", "30"]');
    expect((await automate()).code).toBe(3);
    // On a busy machine an earlier stage may be the one still running when the time is up.
    const stopped = (await readManifest(dir)).steps.find((s) => s.status === "failed");
    expect(stopped?.notes).toContain("aborted: policy.max_runtime_minutes (0.1) exceeded");
  });

  it("never lets key material or redacted patterns into a log or the manifest", async () => {
    const key = "0123456789abcdef0123456789abcdef";
    await writeFile(join(dir, "fake.keys"), `# obviously fake test key\nheader_key = ${key}${key}\n`);
    await editConfig(dir, 'module_json = "module.json"', 'module_json = "module.json"\nkeys = "fake.keys"');
    await appendFile(join(dir, "automation.toml"), '[policy]\nredaction_patterns = ["secret-[0-9]+"]\n');
    await editConfig(dir, 'run = ["sh", "-c", "echo running; echo to-stderr >&2"]', `run = ["sh", "-c", "echo key ${key}${key}; echo token secret-42 >&2; exit 1"]`);
    expect((await automate()).code).toBe(3);
    expect(await readFile(join(dir, "work/logs/run.stdout.log"), "utf8")).toBe("key [redacted]\n");
    expect(await readFile(join(dir, "work/logs/run.stderr.log"), "utf8")).toBe("token [redacted]\n");
    const manifest = await readFile(join(dir, "work/run-manifest.json"), "utf8");
    expect(manifest).not.toContain(key);
    expect(manifest).not.toContain("secret-42");
    expect(manifest).toContain("[redacted]");
  });

  it("--verbose shows each command's output live", async () => {
    const result = await automate("--verbose");
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("[run] running\n");
    expect(result.stderr).toContain("[run !] to-stderr\n");
  });
});

describe("recomp automate: terminal", () => {
  it("draws a live list of stages on a terminal and plain lines elsewhere", async () => {
    // util-linux `script` gives the command a real pseudo-terminal.
    const { execa } = await import("execa");
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(recompBin)} automate --config automation.toml`;
    const tty = await execa("script", ["-qec", command, "/dev/null"], { cwd: dir, env: { ...process.env, CI: "false" }, reject: false });
    expect(tty.exitCode).toBe(0);
    expect(tty.stdout).toContain("\x1b["); // cursor movement: the list is redrawn in place
    expect(tty.stdout).toMatch(/✓ build\s+ran in [\d.]+s/);
    expect(tty.stdout).toMatch(/– lift\s+skipped \(lifted mode starts from inputs\.module_json\)/);
    const plain = await automate();
    expect(plain.stderr).not.toContain("\x1b[");
    expect(plain.stderr).toContain("build: reused\n");
  });
});
