import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { servicesDir } from "../../scripts/demo/paths.js";
import { sha256Hex } from "../../src/util/hash.js";
import { requireTools } from "../helpers/tools.js";

// A guest stand-in that drives every service and prints what they return.
const harness = `
#include <stdio.h>
#include <string.h>
#include "services.h"

static void show_input(void) {
  recomp_input_state s = recomp_read_input();
  printf("frame=%llu tick=%llu buttons=0x%llx l=%d,%d r=%d,%d\\n", (unsigned long long)recomp_frame_index(),
         (unsigned long long)recomp_get_system_tick(), (unsigned long long)s.buttons, s.stick_l_x, s.stick_l_y, s.stick_r_x, s.stick_r_y);
}

int main(int argc, char **argv) {
  int status = recomp_services_init(argc, argv);
  if (status != 0) return status;
  uint8_t pixels[2 * 20]; /* 4x2 RGBA with a stride of 20 bytes */
  for (int i = 0; i < 40; i++) pixels[i] = (uint8_t)(i * 7);
  int16_t samples[6] = {1, -1, 256, -256, 32767, -32768};
  show_input();
  printf("audio=0x%x\\n", recomp_submit_audio(samples, 3));
  printf("audio_too_many=0x%x\\n", recomp_submit_audio(samples, 48001));
  printf("audio_null=0x%x\\n", recomp_submit_audio(NULL, 1));
  recomp_sleep_thread(1000000000);
  printf("present=0x%x\\n", recomp_present_frame(pixels, 4, 2, 20));
  show_input();
  printf("present_other_size=0x%x\\n", recomp_present_frame(pixels, 2, 2, 8));
  printf("present_short_stride=0x%x\\n", recomp_present_frame(pixels, 4, 2, 12));
  printf("present_null=0x%x\\n", recomp_present_frame(NULL, 4, 2, 16));
  const char *text = "say \\"hi\\"\\n";
  printf("debug=0x%x\\n", recomp_output_debug_string(text, strlen(text)));
  printf("present=0x%x\\n", recomp_present_frame(pixels, 4, 2, 20));
  show_input();
  fflush(stdout);
  recomp_exit_process();
}
`;

const replay = `recomp-replay 1
event 0 0 1 "a"
event 0 256 -20000 "stick_l_x"
marker 0 "boot"
event 1 0 0 "a"
event 1 13 1 "dpad_up"
event 1 259 32767 "stick_r_y"
marker 2 "end"
event 9 1 1 "b"
`;

const expectedStdout = `frame=0 tick=0 buttons=0x1 l=-20000,0 r=0,0
audio=0x0
audio_too_many=0xca01
audio_null=0xcc01
present=0x0
frame=1 tick=640000 buttons=0x2000 l=-20000,0 r=0,32767
present_other_size=0xca01
present_short_stride=0xca01
present_null=0xcc01
debug=0x0
present=0x0
frame=2 tick=1280000 buttons=0x2000 l=-20000,0 r=0,32767
`;

describe.runIf(requireTools("cc", "ffmpeg"))("runtime services (C)", () => {
  let dir: string;
  let binary: string;
  let replayFile: string;
  const run = (...args: string[]) => execa(binary, args, { reject: false, cwd: dir, env: { RECOMP_CAPTURE_DIR: "" }, extendEnv: false });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "recomp-services-"));
    binary = join(dir, "harness");
    replayFile = join(dir, "replay.txt");
    await writeFile(join(dir, "harness.c"), harness);
    await writeFile(replayFile, replay);
    const sources = (await readdir(servicesDir)).filter((name) => name.endsWith(".c")).map((name) => join(servicesDir, name));
    await execa("cc", ["-O2", "-std=c11", "-Wall", "-Wextra", "-Werror", `-I${servicesDir}`, "-o", binary, join(dir, "harness.c"), ...sources]);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("returns the documented results and replays input per frame on virtual time", async () => {
    const result = await run("--capture-dir", "cap", "--replay", replayFile);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(expectedStdout.trimEnd());
    expect(result.stderr).toBe('say "hi"');
  });

  it("captures RGB24 frames, a canonical WAV and the replay log", async () => {
    await run("--capture-dir", "cap", "--replay", replayFile);
    expect((await readdir(join(dir, "cap", "frames"))).sort()).toEqual(["frame_000000.ppm", "frame_000001.ppm"]);
    const ppm = await readFile(join(dir, "cap", "frames", "frame_000000.ppm"));
    const rgb = [0, 1].flatMap((y) => [0, 1, 2, 3].flatMap((x) => [0, 1, 2].map((c) => (y * 20 + x * 4 + c) * 7)));
    expect(ppm).toEqual(Buffer.concat([Buffer.from("P6\n4 2\n255\n"), Buffer.from(rgb)]));

    const wav = await readFile(join(dir, "cap", "audio.wav"));
    expect(wav.length).toBe(44 + 12);
    expect(wav.subarray(0, 44).toString("hex")).toBe(
      "52494646" + "30000000" + "57415645666d7420" + "10000000" + "0100" + "0200" + "80bb0000" + "00ee0200" + "0400" + "1000" + "64617461" + "0c000000",
    );
    expect(wav.subarray(44).toString("hex")).toBe("0100ffff0001" + "00ff" + "ff7f0080");

    expect(await readFile(join(dir, "cap", "replay-log.jsonl"), "utf8")).toBe(
      [
        '{"control":0,"frame":0,"kind":"input","name":"a","value":1}',
        '{"control":256,"frame":0,"kind":"input","name":"stick_l_x","value":-20000}',
        '{"frame":0,"kind":"marker","name":"boot"}',
        '{"control":0,"frame":1,"kind":"input","name":"a","value":0}',
        '{"control":13,"frame":1,"kind":"input","name":"dpad_up","value":1}',
        '{"control":259,"frame":1,"kind":"input","name":"stick_r_y","value":32767}',
        '{"frame":1,"kind":"debug","text":"say \\"hi\\"\\u000a"}',
        '{"frame":2,"kind":"marker","name":"end"}',
        '{"frame":2,"kind":"exit"}',
        "",
      ].join("\n"),
    );
  });

  it("writes PNG frames that decode to the same pixels", async () => {
    const result = await run("--capture-dir", "png", "--frame-format", "png");
    expect(result.exitCode).toBe(0);
    const ppm = await readFile(join(dir, "cap", "frames", "frame_000001.ppm"));
    const { stdout } = await execa("ffmpeg", ["-v", "error", "-i", join(dir, "png", "frames", "frame_000001.png"), "-f", "framehash", "-hash", "sha256", "-pix_fmt", "rgb24", "-"]);
    expect(stdout.trim().split(", ").at(-1)).toBe(sha256Hex(ppm.subarray("P6\n4 2\n255\n".length)));
  });

  it("writes nothing with --no-capture and still runs every service", async () => {
    const cwd = join(dir, "empty");
    await mkdir(cwd);
    const env = { RECOMP_NO_CAPTURE: "1", RECOMP_PRINT_CPU_TIME: "1" };
    const result = await execa(binary, ["--replay", replayFile], { reject: false, cwd, env, extendEnv: false });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(expectedStdout.trimEnd());
    expect(result.stderr).toMatch(/^say "hi"\nrecomp runtime: cpu time \d+ us$/);
    expect(await readdir(cwd)).toEqual([]);
  });

  it("exits 2 naming the line of a bad replay file, and for bad options", async () => {
    const unsorted = join(dir, "unsorted.txt");
    await writeFile(unsorted, 'recomp-replay 1\nevent 4 0 1 "a"\nevent 2 0 0 "a"\n');
    const bad = await run("--no-capture", "--replay", unsorted);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toBe(`recomp runtime: ${unsorted}:3: lines are not sorted by frame (regenerate it with \`recomp replay convert\`)`);

    const range = join(dir, "range.txt");
    await writeFile(range, 'recomp-replay 1\nevent 0 0 2 "a"\n');
    expect((await run("--no-capture", "--replay", range)).stderr).toContain(`${range}:2: value out of range for the control`);

    const noDestination = await run();
    expect(noDestination.exitCode).toBe(2);
    expect(noDestination.stderr).toContain("no capture destination (give --capture-dir DIR, or --no-capture) for --frames-dir");
    expect((await run("--no-capture", "--speed", "2")).stderr).toContain("unknown argument --speed");
    expect((await run("--no-capture", "--fps", "7")).exitCode).toBe(2);
  });
});
