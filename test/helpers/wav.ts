// Reading captured sound: the PCM of a 16-bit stereo WAV file, and the strongest sinusoid in a stretch of it.
import { readFile } from "node:fs/promises";

/** The data chunk of a WAV file (16-bit stereo: 4 bytes a sample frame). */
export async function pcmData(path: string): Promise<Buffer> {
  const bytes = await readFile(path);
  for (let at = 12; at + 8 <= bytes.length; at += 8 + bytes.readUInt32LE(at + 4)) {
    if (bytes.toString("latin1", at, at + 4) === "data") return bytes.subarray(at + 8, at + 8 + bytes.readUInt32LE(at + 4));
  }
  throw new Error(`${path}: no data chunk`);
}

/** One channel (0 left, 1 right) of a 16-bit stereo WAV file. */
export async function channelSamples(path: string, channel: 0 | 1 = 0): Promise<Int16Array> {
  const data = await pcmData(path);
  return Int16Array.from({ length: data.length / 4 }, (_, i) => data.readInt16LE(i * 4 + 2 * channel));
}

/** The frequency (Hz, 48 kHz samples) and amplitude of the strongest sinusoid: the DTFT's peak, found by a fine scan. */
export function sinePeak(samples: ArrayLike<number>): { frequency: number; amplitude: number } {
  const magnitude = (f: number): number => {
    let re = 0;
    let im = 0;
    for (let n = 0; n < samples.length; n++) {
      const phase = (2 * Math.PI * f * n) / 48000;
      re += (samples[n]) * Math.cos(phase);
      im -= (samples[n]) * Math.sin(phase);
    }
    return Math.hypot(re, im);
  };
  let best = 50;
  for (let f = 50; f <= 8000; f += 10) if (magnitude(f) > magnitude(best)) best = f;
  for (let step = 1; step >= 0.01; step /= 10) {
    const centre = best;
    for (let f = centre - 10 * step; f <= centre + 10 * step; f += step) if (magnitude(f) > magnitude(best)) best = f;
  }
  return { frequency: best, amplitude: (2 * magnitude(best)) / samples.length };
}
