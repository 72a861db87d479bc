import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inputScriptSchema, parseTomlFile } from "../../src/config/index.js";
import { formatReplayFile, frameAtMs, scheduleInputScript } from "../../src/replay/index.js";
import { asRecompErrors, formatError } from "../../src/util/errors.js";

const header = `schema_version = "1"
[metadata]
title = "t"
controller = "pro_controller"
timing_mode = "frames"
`;

function errorsOf(text: string): string[] {
  try {
    const { data } = parseTomlFile(text, "input_script.toml", inputScriptSchema);
    scheduleInputScript(data, 30, "input_script.toml");
    return [];
  } catch (error) {
    const errors = asRecompErrors(error);
    if (errors.length === 0) throw error;
    return errors.map(formatError);
  }
}

function schedule(text: string, fps = 30) {
  return scheduleInputScript(parseTomlFile(text, "input_script.toml", inputScriptSchema).data, fps, "input_script.toml");
}

describe("input scripts", () => {
  it("accepts named controls and numeric codes for the same control", () => {
    const { entries } = schedule(`${header}
[[events]]
frame = 3
control = "dpad_left"
value = 1
[[events]]
frame = 4
control = 12
value = 0
[[events]]
frame = 5
control = "stick_r_y"
value = -32767
`);
    expect(entries).toEqual([
      { kind: "event", frame: 3, code: 12, name: "dpad_left", value: 1, index: 0 },
      { kind: "event", frame: 4, code: 12, name: "dpad_left", value: 0, index: 1 },
      { kind: "event", frame: 5, code: 259, name: "stick_r_y", value: -32767, index: 2 },
    ]);
  });

  it("keeps simultaneous events in file order, then markers in file order", () => {
    const { entries } = schedule(`${header}
[[markers]]
name = "late"
frame = 9
[[markers]]
name = "start"
frame = 2
[[events]]
frame = 9
control = "b"
value = 1
[[events]]
frame = 2
control = "zr"
value = 1
[[events]]
frame = 2
control = "a"
value = 1
[[markers]]
name = "also start"
frame = 2
`);
    expect(entries.map((e) => `${e.frame}:${e.kind}:${e.name}`)).toEqual([
      "2:event:zr",
      "2:event:a",
      "2:marker:start",
      "2:marker:also start",
      "9:event:b",
      "9:marker:late",
    ]);
  });

  it("resolves time_ms to the first frame starting at or after it", () => {
    expect([0, 1, 33, 34, 1000, 1001].map((ms) => frameAtMs(ms, 30))).toEqual([0, 1, 1, 2, 30, 31]);
    const { entries } = schedule(
      `${header.replace('"frames"', '"ms"')}
[[events]]
time_ms = 500
control = "x"
value = 1
`,
      60,
    );
    expect(entries[0]?.frame).toBe(30);
  });

  it("names the entry of every problem, all at once", () => {
    const errors = errorsOf(`${header}
[[events]]
frame = 1
control = "dpad_lef"
value = 1
[[events]]
time_ms = 5
control = "a"
value = 2
[[events]]
frame = 2
control = 77
value = 1
[[events]]
frame = 3
control = "a"
value = 1
pressed = true
`);
    expect(errors).toEqual([
      'error[config_unknown_key]: input_script.toml:23: events[3].pressed: unknown key "pressed" (allowed keys here: control, frame, note, time_ms, value)',
      'error[config_invalid]: input_script.toml:11: events[1].frame: timing_mode "frames" needs frame',
      'error[config_invalid]: input_script.toml:12: events[1].time_ms: timing_mode "frames" uses frame, not time_ms',
      'error[config_invalid]: input_script.toml:9: events[0].control: unknown control "dpad_lef" (did you mean "dpad_left"?); named controls: a, b, x, y, stick_l, stick_r, l, r, zl, zr, plus, minus, dpad_left, dpad_up, dpad_right, dpad_down, stick_l_x, stick_l_y, stick_r_x, stick_r_y, or a numeric code',
      'error[config_invalid]: input_script.toml:14: events[1].value: button "a" takes 0 (released) or 1 (pressed), not 2',
    ]);
    // A code with no meaning passes the schema (prior-art files use any u32) but cannot be replayed.
    expect(errorsOf(`${header}
[[events]]
frame = 2
control = 77
value = 1
`)).toEqual([
      "error[config_invalid]: input_script.toml: events[0].control: control code 77 has no meaning for the recomp runtime (use a named control (a, b, dpad_left, stick_l_x, ...) or its code: 0-15 buttons, 256-259 stick axes)",
    ]);
  });

  it("rejects marker names the replay file cannot carry", () => {
    expect(errorsOf(`${header}
[[markers]]
name = "caf\u00e9"
frame = 1
`)).toEqual([
      'error[config_invalid]: input_script.toml: markers[0].name: marker name "caf\u00e9" is not 1..128 printable ASCII characters (a quote or backslash counts twice) (rename the marker with plain ASCII letters, digits, spaces and punctuation)',
    ]);
  });

  it("writes the replay file line by line in schedule order", () => {
    const text = formatReplayFile(
      schedule(`${header}
[[markers]]
name = "say \\"hi\\""
frame = 0
[[events]]
frame = 0
control = "stick_l_x"
value = -20000
[[events]]
frame = 4
control = "plus"
value = 1
`),
    );
    expect(text).toBe('recomp-replay 1\nevent 0 256 -20000 "stick_l_x"\nmarker 0 "say \\"hi\\""\nevent 4 10 1 "plus"\n');
  });
});

describe("recomp replay check / convert", () => {
  let dir: string;
  const cli = (...args: string[]) => execa("node", ["bin/recomp.js", ...args], { reject: false });
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "recomp-replay-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("prints a summary of the demo's input script", async () => {
    const result = await cli("replay", "check", "samples/demo/input_script.toml");
    expect(result.exitCode).toBe(0);
    expect(result.stdout.split("\n").slice(0, 4)).toEqual([
      'input script "recomp demo" (pro_controller, timing frames): ok',
      "  21 events, 6 markers, frames 0..185 (00:00:00.000..00:00:06.167 at 30 fps)",
      "  controls: a x4, b x8, dpad_down x1, dpad_right x2, stick_l_x x2, stick_l_y x2, x x2",
      '  marker "boot" at frame 0 (00:00:00.000)',
    ]);
    const json = await cli("replay", "check", "--json", "--fps", "60", "samples/demo/input_script.toml");
    const summary = JSON.parse(json.stdout) as { fps: number; events: number; lastFrame: number; markers: unknown[] };
    expect([summary.fps, summary.events, summary.lastFrame, summary.markers[1]]).toEqual([60, 21, 185, { frame: 50, name: "first_pattern", time: "00:00:00.833" }]);
  });

  it("exits 2 with located errors and writes nothing on bad input", async () => {
    const script = join(dir, "bad.toml");
    await writeFile(script, `${header}\n[[events]]\nframe = 1\ncontrol = "jump"\nvalue = 1\n`);
    const check = await cli("replay", "check", script);
    expect(check.exitCode).toBe(2);
    expect(check.stderr).toContain(`${script}:9: events[0].control: unknown control "jump"`);
    const out = join(dir, "bad.replay");
    const convert = await cli("replay", "convert", script, "--out", out);
    expect(convert.exitCode).toBe(2);
    await expect(readFile(out)).rejects.toThrow(/ENOENT/);
  });

  it("runs a program with the converted script appended as --replay FILE, passing its exit code", async () => {
    const program = "const f = process.argv.at(-1); process.stdout.write(process.argv.at(-2) + ' ' + require('fs').readFileSync(f, 'utf8').split('\\n')[1]); process.exit(5)";
    const result = await execa("node", ["bin/recomp.js", "replay", "run", "--", "node", "-e", program, "--"], {
      reject: false,
      env: { RECOMP_INPUT_SCRIPT_TOML: "samples/demo/input_script.toml" },
    });
    expect(result.stdout).toBe('--replay marker 0 "boot"');
    expect(result.exitCode).toBe(5);
  });

  it("converts a script into the runtime's replay file", async () => {
    const out = join(dir, "demo.replay");
    const result = await cli("replay", "convert", "samples/demo/input_script.toml", "--out", out);
    expect(result.exitCode).toBe(0);
    const lines = (await readFile(out, "utf8")).split("\n");
    expect(lines.slice(0, 4)).toEqual(["recomp-replay 1", 'marker 0 "boot"', 'event 15 14 1 "dpad_right"', 'event 30 0 1 "a"']);
    expect(lines).toContain('event 160 1 1 "b"');
  });
});
