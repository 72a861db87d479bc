/**
 * Regenerates the demo's reference from the native build: samples/demo/reference/frames.sha256,
 * samples/demo/reference/audio.sha256 and samples/demo/reference_video.toml. The capture itself is
 * kept in samples/demo/work/reference-capture (git-ignored).
 *
 *   npx tsx scripts/make-demo-reference.ts
 */
import { writeFileAtomic } from "../src/util/atomic-write.js";
import { hashListText } from "./demo/capture-hashes.js";
import { demoPaths } from "./demo/paths.js";
import { makeDemoReference, referenceVideoToml } from "./demo/reference.js";

const reference = await makeDemoReference(demoPaths.referenceCapture);
await writeFileAtomic(demoPaths.frameHashes, hashListText(reference.frames));
await writeFileAtomic(demoPaths.audioHashes, hashListText(reference.audio));
await writeFileAtomic(demoPaths.referenceVideo, referenceVideoToml(reference));
process.stdout.write(`reference: ${reference.frames.length} frames, ${reference.audio.length} audio windows, ${reference.schedule.entries.length} replay entries\n`);
