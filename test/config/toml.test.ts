import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { automationSchema, parseTomlFile, referenceVideoSchema, inputScriptSchema } from "../../src/config/index.js";
import { RecompError, RecompErrorList, formatError } from "../../src/util/errors.js";
import { automationToml } from "../engine/fixture.js";

// The engine tests' automation.toml: one valid file, mutated here one mistake at a time.
const minimal = automationToml;

function errorsOf(text: string, schema: z.ZodType = automationSchema): string[] {
  try {
    parseTomlFile(text, "automation.toml", schema);
  } catch (error) {
    if (error instanceof RecompErrorList) return error.errors.map(formatError);
    if (error instanceof RecompError) return [formatError(error)];
    throw error;
  }
  return [];
}

describe("TOML loading", () => {
  it("accepts a minimal automation.toml", () => {
    expect(errorsOf(minimal)).toEqual([]);
  });

  it("names an unknown key with its line and a did-you-mean hint", () => {
    const errors = errorsOf(minimal.replace('module_json = "module.json"', 'module_jsn = "module.json"'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBe('error[config_unknown_key]: automation.toml:6: inputs.module_jsn: unknown key "module_jsn" (did you mean "module_json"?)');
  });

  it("collects every problem of a file at once", () => {
    const text = minimal
      .replace('mode = "lifted"', 'mode = "lifed"')
      .replace('build = ["sh", "build.sh"]', "build = []")
      .replace('frames_dir = "work/capture/frames"', "frames_dir = 3");
    const errors = errorsOf(text);
    expect(errors).toHaveLength(3);
    expect(errors.join("\n")).toContain('inputs.mode: must be one of "homebrew", "xci", "lifted" (did you mean "lifted"?)');
    expect(errors.join("\n")).toContain("commands.build: must be a non-empty argv array");
    expect(errors.join("\n")).toContain("capture.frames_dir: expected string, received number");
  });

  it("reports malformed TOML with line and column", () => {
    const errors = errorsOf(`${minimal}\n[run\nresume = true\n`);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^error\[config_syntax\]: automation\.toml:21:5: malformed TOML/);
  });

  it("reads the prior art's early top-level [thresholds] and timeline events", () => {
    const text = `schema_version = "1"
[video]
path = "/footage/reference.mp4"
width = 1280
height = 720
fps = 30.0
[timeline]
start = "00:00:05.000"
end = 150
[[timeline.events]]
name = "level_start"
time = "01:05"
[hashes.frames]
format = "list"
path = "frames.hashes"
[thresholds]
frame_match_ratio = 0.92
max_drift_frames = 3
`;
    expect(errorsOf(text, referenceVideoSchema)).toEqual([]);
    expect(errorsOf(text.replace('"01:05"', '"1:5:x"'), referenceVideoSchema)[0]).toContain("timeline.events[0].time");
  });

  it("requires the time field the input script's timing mode names", () => {
    const text = `schema_version = "1"
[metadata]
title = "t"
controller = "pro_controller"
timing_mode = "frames"
[[events]]
time_ms = 0
control = 100
value = 1
`;
    const errors = errorsOf(text, inputScriptSchema);
    expect(errors.join("\n")).toContain("events[0].frame: timing_mode \"frames\" needs frame");
    expect(errors.join("\n")).toContain("events[0].time_ms: timing_mode \"frames\" uses frame, not time_ms");
  });
});
