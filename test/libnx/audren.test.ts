// audren:u with a real libnx program (test/fixtures/libnx/audren-tone.nro, built by scripts/build-libnx-audren-tone.sh
// from scripts/libnx-audren-tone): lifted, emitted on the horizon personality, built and run; the captured sound is
// the wave buffer it queues, where it queues it.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { repoRoot } from "../../scripts/libnx-samples.js";
import { channelSamples, sinePeak } from "../helpers/wav.js";
import { requireTools } from "../helpers/tools.js";

describe.runIf(requireTools("cc", "make"))("audren:u on the horizon personality", () => {
  let dir: string | undefined;
  afterAll(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it("mixes a PCM16 wave-buffer voice into 48 kHz stereo at the renderer frame the program queues it", { timeout: 900_000 }, async () => {
    dir = await mkdtemp(join(tmpdir(), "recomp-audren-"));
    const nro = join(repoRoot, "test", "fixtures", "libnx", "audren-tone.nro");
    const title = join(repoRoot, "samples", "libnx", "audren-tone", "title.toml");
    expect(await main(["node", "recomp", "lift", "--nro", nro, "--title", title, "--out", join(dir, "lift")])).toBe(0);
    expect(await main(["node", "recomp", "emit", "--module", join(dir, "lift", "module.json"), "--title", title, "--out", join(dir, "build")])).toBe(0);
    await execa("make", ["-s", "-C", join(dir, "build")]);
    const run = await execa(join(dir, "build", "recomp-title"), ["--fps", "60", "--capture-dir", join(dir, "run")], {
      env: { RECOMP_SDMC_DIR: join(dir, "sdmc"), RECOMP_SELF_NRO: nro },
      reject: false,
    });
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    // Its source: 20 renderer frames of 240 sample frames in silence, the 4800-sample-frame buffer (1000 Hz, 30% of
    // full scale, factor 1.0 into both channels) over 20 frames, one more frame (the update after the buffer's last
    // frame is the one that reports it done), then 20 frames of silence.
    const [left, right] = await Promise.all([channelSamples(join(dir, "run", "audio.wav"), 0), channelSamples(join(dir, "run", "audio.wav"), 1)]);
    expect(left.length).toBe(61 * 240);
    expect(right).toEqual(left);
    const tone = left.subarray(4800, 9600);
    const { frequency, amplitude } = sinePeak(tone);
    expect(Math.abs(frequency / 1000 - 1)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(amplitude / (0.3 * 32767) - 1)).toBeLessThanOrEqual(0.02);
    // Nothing before the frame it was queued for, nothing after its end; the tone starts at once.
    expect(left.subarray(0, 4800).every((sample) => sample === 0)).toBe(true);
    expect(left.subarray(9600).every((sample) => sample === 0)).toBe(true);
    expect(tone.subarray(1, 10).every((sample) => sample > 0)).toBe(true);
  });
});
