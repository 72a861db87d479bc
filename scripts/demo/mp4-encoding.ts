/**
 * scripts/demo: the one definition of how the demo's MP4 capture is made and decoded again (lossy
 * H.264 + AAC), shared by the reference script (scripts/make-demo-mp4-reference.ts) and, as literal
 * argv, by samples/demo/automation.mp4.toml's capture, extract_frames and extract_audio commands (a
 * test checks they agree). Both sides take the same path (PPM + WAV -> MP4 -> PNG + WAV), so their
 * hashes and features are comparable. Single-threaded, bit-exact flags and no metadata: the same
 * frames and audio give the same MP4 bytes with the same ffmpeg/x264.
 */

/** ffmpeg arguments (without the program) encoding PPM frames + a WAV file into `output` (.mp4). */
export function mp4CaptureArgs(framesPattern: string, audioFile: string, output: string): string[] {
  return [
    "-v", "error", "-y", "-threads", "1",
    "-framerate", "30", "-i", framesPattern, "-i", audioFile,
    "-c:v", "libx264", "-preset", "medium", "-crf", "23", "-pix_fmt", "yuv420p", "-x264-params", "threads=1",
    "-c:a", "aac", "-b:a", "128k",
    "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact",
    output,
  ];
}

/** ffmpeg arguments decoding the MP4's frames to RGB PNG files (`framesPattern` like `dir/%06d.png`). */
export function mp4ExtractFramesArgs(mp4: string, framesPattern: string): string[] {
  return ["-v", "error", "-y", "-i", mp4, "-pix_fmt", "rgb24", "-fflags", "+bitexact", "-flags:v", "+bitexact", framesPattern];
}

/** ffmpeg arguments decoding the MP4's audio to 16-bit PCM WAV. */
export function mp4ExtractAudioArgs(mp4: string, audioFile: string): string[] {
  return ["-v", "error", "-y", "-i", mp4, "-vn", "-c:a", "pcm_s16le", "-fflags", "+bitexact", "-flags:a", "+bitexact", audioFile];
}
