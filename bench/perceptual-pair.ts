// bench: the 1280x720 30 fps clip pair the validation benchmarks compare (testsrc2 with a stereo chirp,
// encoded twice with x264 at different CRF), and the reference/capture TOML files that point at it.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

export function ffmpeg(...args: string[]): void {
  execFileSync("ffmpeg", ["-nostdin", "-v", "error", "-y", ...args], { stdio: ["ignore", "ignore", "inherit"] });
}

/** One `seconds` long clip at x264 `crf`. */
export function encodeClip(file: string, seconds: number, crf: number): void {
  const audio = `aevalsrc=0.4*sin(2*PI*(220+60*t)*t)*(0.6+0.4*sin(2*PI*1.7*t))|0.4*sin(2*PI*(330+40*t)*t):s=48000:d=${seconds}`;
  ffmpeg("-f", "lavfi", "-i", `testsrc2=s=1280x720:r=30:d=${seconds}`, "-f", "lavfi", "-i", audio,
    "-c:v", "libx264", "-preset", "ultrafast", "-crf", String(crf), "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "160k", file);
}

/**
 * `DIR/NAME-FORMAT.toml` for `file`: hashes from the media (`file`) or from the lists `NAME.frames` and
 * `NAME.audio` beside it (`list`); the reference (`timeline`) covers all `seconds`.
 */
export function sideToml(dir: string, name: string, file: string, format: "file" | "list", timeline: number | undefined): string {
  const path = join(dir, `${name}-${format}.toml`);
  const source = (kind: string) => (format === "file" ? file : `${name}.${kind}`);
  writeFileSync(path, [
    'schema_version = "1"', "[video]", `path = "${file}"`, "width = 1280", "height = 720", "fps = 30",
    "[hashes.frames]", `format = "${format}"`, `path = "${source("frames")}"`,
    "[hashes.audio]", `format = "${format}"`, `path = "${source("audio")}"`,
    ...(timeline === undefined ? [] : ["[timeline]", "start = 0", `end = ${timeline}`]), "",
  ].join("\n"));
  return path;
}
