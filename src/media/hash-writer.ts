// media: writing a hash list (our `list` form) and its features file, atomically, from frames or audio.
import { writeFileAtomic } from "../util/atomic-write.js";
import { sha256Hex } from "../util/hash.js";
import { extractAudioFeatures, type AudioProfile } from "./audio-features.js";
import { encodeAudioFeatures, encodeFrameFeatures, featuresPathFor } from "./features-file.js";
import type { FfmpegOptions } from "./ffmpeg-tool.js";
import { extractFrameFeatures } from "./frame-features.js";
import { formatHashList } from "./hash-list.js";

export interface WriteHashesOptions extends FfmpegOptions {
  /** A frames folder (PNG/PPM) or a video for frames; any audio ffmpeg decodes for audio. */
  input: string;
  /** Where the hash list goes; the features file is written beside it as `<hashList>.features`. */
  hashList: string;
}

/** Hashes every frame and writes `[hashList, featuresFile]`; returns the files written. */
export async function writeFrameHashes(options: WriteHashesOptions): Promise<string[]> {
  const features = await extractFrameFeatures(options.input, options);
  const header = [
    "recomp frame hashes: SHA-256 of each frame's packed rgb24 pixels",
    "same as: ffmpeg -i INPUT -f framehash -hash sha256 -pix_fmt rgb24 -",
    `frames ${features.hashes.length}, size ${features.width}x${features.height}`,
  ];
  const list = formatHashList(header, features.hashes);
  const featuresFile = featuresPathFor(options.hashList);
  await writeFileAtomic(featuresFile, encodeFrameFeatures(features, sha256Hex(list)));
  await writeFileAtomic(options.hashList, list);
  return [options.hashList, featuresFile];
}

/** Hashes 1024-sample windows of the decoded audio and writes `[hashList, featuresFile]`. */
export async function writeAudioHashes(options: WriteHashesOptions & { profile: AudioProfile }): Promise<string[]> {
  const features = await extractAudioFeatures(options.input, options.profile, options);
  const header = [
    "recomp audio hashes: SHA-256 of each 1024-sample-frame window of s16le interleaved PCM",
    `same as: ffmpeg -i INPUT -ar ${options.profile.sampleRate} -ac ${options.profile.channels} -af asetnsamples=n=1024:p=0 -c:a pcm_s16le -f framehash -hash sha256 - (input already at that rate)`,
    `sample_rate ${options.profile.sampleRate}, channels ${options.profile.channels}, samples ${features.samples}`,
  ];
  const list = formatHashList(header, features.hashes);
  const featuresFile = featuresPathFor(options.hashList);
  await writeFileAtomic(featuresFile, encodeAudioFeatures(features, sha256Hex(list)));
  await writeFileAtomic(options.hashList, list);
  return [options.hashList, featuresFile];
}
