/**
 * Regenerates the demo's reference from the native build: samples/demo/reference/frames.sha256,
 * samples/demo/reference/audio.sha256 (each with its .features file) and
 * samples/demo/reference_video.toml. The capture itself is kept in samples/demo/work/reference-capture
 * (git-ignored).
 *
 *   npx tsx scripts/make-demo-reference.ts
 */
import { writeFileAtomic } from "../src/util/atomic-write.js";
import { dirname } from "node:path";
import { demoPaths } from "./demo/paths.js";
import { hostTarget } from "./demo/native.js";
import { makeDemoReference, referenceVideoToml } from "./demo/reference.js";

const reference = await makeDemoReference(demoPaths.referenceCapture, hostTarget, dirname(demoPaths.frameHashes));
await writeFileAtomic(demoPaths.referenceVideo, referenceVideoToml(reference));
process.stdout.write(`reference: ${reference.frames.length} frames, ${reference.audio.length} audio windows, ${reference.schedule.entries.length} replay entries\n`);
