// Probes kept in recomp's cache folder are used only while the media file and the ffprobe binary are the
// ones probed: a stored entry altered on purpose shows whether a result came from the cache.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { probeMedia, probeMediaCached } from "../../src/media/index.js";
import { requireTools } from "../helpers/tools.js";
import { ffmpeg } from "../validate/clips.js";

describe.runIf(requireTools("ffmpeg", "ffprobe"))("cached probes", () => {
  let dir: string;
  let clip: string;
  let cache: string;
  const stored = "ffprobe version stored";

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "recomp-probe-cache-"));
    clip = join(dir, "clip.mp4");
    ffmpeg("-f", "lavfi", "-i", "testsrc2=s=160x90:r=25:d=1", "-c:v", "libx264", clip);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The one entry in the cache folder, with its probe's tool version replaced, so that a result read from it shows. */
  function alterEntry(): void {
    const [name] = readdirSync(join(cache, "probe")).filter((n) => n.endsWith(".json"));
    if (name === undefined) throw new Error("no cache entry was written");
    const file = join(cache, "probe", name);
    const entry = JSON.parse(readFileSync(file, "utf8")) as { info: { toolVersion: string } };
    entry.info.toolVersion = stored;
    writeFileSync(file, JSON.stringify(entry));
  }

  it("gives ffprobe's result, then the stored one while the file is the same", async () => {
    cache = join(dir, "cache-same");
    const probed = await probeMedia(clip);
    expect(await probeMediaCached(clip, {}, cache)).toEqual(probed);
    alterEntry();
    expect(await probeMediaCached(clip, {}, cache)).toEqual({ ...probed, toolVersion: stored });
  });

  it("probes again a file rewritten with its modification time put back (ctime), and a damaged entry", async () => {
    cache = join(dir, "cache-rewritten");
    // A whole second, which utimes sets exactly.
    const time = 1_000_000_000;
    utimesSync(clip, time, time);
    const before = statSync(clip, { bigint: true });
    const probed = await probeMediaCached(clip, {}, cache);
    alterEntry();
    // Past the file system's timestamp granularity, so the rewrite's change time differs.
    await sleep(50);
    writeFileSync(clip, readFileSync(clip));
    utimesSync(clip, time, time);
    const after = statSync(clip, { bigint: true });
    expect([after.mtimeNs, after.size, after.ino]).toEqual([before.mtimeNs, before.size, before.ino]);
    expect(after.ctimeNs).not.toBe(before.ctimeNs);
    expect(await probeMediaCached(clip, {}, cache)).toEqual(probed);
    for (const name of readdirSync(join(cache, "probe"))) writeFileSync(join(cache, "probe", name), "{ damaged");
    expect(await probeMediaCached(clip, {}, cache)).toEqual(probed);
  });

  it("probes again when the ffprobe binary changed", async () => {
    cache = join(dir, "cache-tool");
    const bin = join(dir, "bin");
    mkdirSync(bin, { recursive: true });
    copyFileSync(execFileSync("sh", ["-c", "command -v ffprobe"], { encoding: "utf8" }).trim(), join(bin, "ffprobe"));
    const options = { ffmpegPath: join(bin, "ffmpeg") };
    const probed = await probeMediaCached(clip, options, cache);
    alterEntry();
    expect((await probeMediaCached(clip, options, cache)).toolVersion).toBe(stored);
    utimesSync(join(bin, "ffprobe"), new Date(0), new Date(0));
    expect(await probeMediaCached(clip, options, cache)).toEqual(probed);
  });

  it("probes every time with no cache folder", async () => {
    expect(await probeMediaCached(clip, {}, undefined)).toEqual(await probeMedia(clip));
  });
});
