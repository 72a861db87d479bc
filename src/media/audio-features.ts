// media: one ffmpeg pass over any audio gives exact PCM window hashes and loudness/spectrum features.
import { RecompError } from "../util/errors.js";
import { AudioFeatureBuilder, windowSamples } from "./audio-signature.js";
import { ffmpegBinary, quietArgs, type FfmpegOptions } from "./ffmpeg-tool.js";
import { RecordHasher, runRawPipes, type ChunkSink } from "./raw-pipe.js";

export interface AudioProfile {
  sampleRate: number;
  channels: number;
}

export const defaultAudioProfile: AudioProfile = { sampleRate: 48000, channels: 2 };

export interface AudioFeatures {
  profile: AudioProfile;
  /** Decoded sample frames (one sample per channel). */
  samples: number;
  /** SHA-256 of each 1024-sample-frame window of s16le interleaved PCM (the last may be shorter). */
  hashes: string[];
  /** hopFeatureBytes per 256-sample hop: loudness then 16 band levels. */
  hops: Uint8Array;
}

/** Mixes interleaved s16le to mono floats, carrying a split sample frame over to the next chunk. */
class MonoMixer implements ChunkSink {
  private carry = Buffer.alloc(0);
  samples = 0;

  constructor(
    private readonly channels: number,
    private readonly builder: AudioFeatureBuilder,
  ) {}

  push(chunk: Buffer): void {
    const joined = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const frameBytes = this.channels * 2;
    const frames = Math.floor(joined.length / frameBytes);
    // A DataView reads samples far faster than readInt16LE, at any byte offset and host byte order.
    const pcm = new DataView(joined.buffer, joined.byteOffset, frames * frameBytes);
    const mono = new Float32Array(frames);
    const channels = this.channels;
    const scale = channels * 32768;
    for (let f = 0, at = 0; f < frames; f += 1) {
      let sum = 0;
      for (let c = 0; c < channels; c += 1, at += 2) sum += pcm.getInt16(at, true);
      mono[f] = sum / scale;
    }
    this.samples += frames;
    this.builder.push(mono);
    this.carry = Buffer.from(joined.subarray(frames * frameBytes));
  }
}

/** Both sinks read the same fd: hashing and feature extraction from one decode. */
class Tee implements ChunkSink {
  constructor(private readonly sinks: readonly ChunkSink[]) {}

  push(chunk: Buffer): void {
    for (const sink of this.sinks) sink.push(chunk);
  }
}

/**
 * Decodes the first audio stream resampled to the profile (`-ar`, `-ac`, s16le). The hashes equal
 * `ffmpeg -i X -af aresample=R,aformat=sample_fmts=s16:channel_layouts=L,asetnsamples=n=1024:p=0
 * -c:a pcm_s16le -f framehash -hash sha256 -` (for input already at the profile rate and channel count,
 * simply `-af asetnsamples=n=1024:p=0`).
 */
export async function extractAudioFeatures(input: string, profile: AudioProfile, options: FfmpegOptions = {}): Promise<AudioFeatures> {
  const hasher = new RecordHasher(windowSamples * profile.channels * 2);
  const builder = new AudioFeatureBuilder(profile.sampleRate);
  const mixer = new MonoMixer(profile.channels, builder);
  const args = [
    ...quietArgs,
    "-i", input,
    "-map", "0:a:0", "-vn",
    "-ar", String(profile.sampleRate), "-ac", String(profile.channels),
    "-f", "s16le", "-c:a", "pcm_s16le", "pipe:1",
  ];
  await runRawPipes(ffmpegBinary(options), args, [new Tee([hasher, mixer])], `decoding audio of ${input}`);
  if (mixer.samples === 0) {
    throw new RecompError({ code: "format_invalid", message: "the audio stream decoded to no samples", location: { file: input } });
  }
  return { profile, samples: mixer.samples, hashes: hasher.finish(), hops: builder.finish() };
}
