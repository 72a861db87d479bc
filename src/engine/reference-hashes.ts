// engine: the reference's hash lists and features files are parsed before the first stage, so a
// garbage line is reported with file:line (exit 2) instead of failing the validate stage at the end.
import { readFile, stat } from "node:fs/promises";
import { resolve } from "node:path";
import type { LoadedFile } from "../config/toml.js";
import type { ReferenceVideo } from "../config/video.js";
import { featuresPathFor, readAudioFeaturesFile, readFrameFeaturesFile } from "../media/features-file.js";
import { parseHashList } from "../media/hash-list.js";
import { collectErrors, type RecompError } from "../util/errors.js";
import { sha256Hex } from "../util/hash.js";

export async function referenceHashErrors(reference: LoadedFile<ReferenceVideo>): Promise<RecompError[]> {
  const errors: RecompError[] = [];
  const sources = [
    { source: reference.data.hashes.frames, read: readFrameFeaturesFile },
    { source: reference.data.hashes.audio, read: readAudioFeaturesFile },
  ];
  for (const { source, read } of sources) {
    if (source === undefined || source.format !== "list") continue;
    const list = resolve(reference.dir, source.path);
    // A missing list is reported where the validation set is checked.
    const bytes = await readFile(list).catch(() => undefined);
    if (bytes === undefined) continue;
    await collectErrors(errors, () => parseHashList(bytes.toString("utf8"), list));
    const features = featuresPathFor(list);
    if ((await stat(features).catch(() => undefined)) !== undefined) await collectErrors(errors, () => read(features, { file: list, sha256: sha256Hex(bytes) }));
  }
  return errors;
}
