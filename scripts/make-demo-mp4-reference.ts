/**
 * Regenerates the reference of the demo's MP4 loop: samples/demo/reference-mp4/frames.sha256 and
 * audio.sha256 (each with its .features file) and samples/demo/reference_video.mp4.toml, from the
 * native capture encoded with scripts/demo/mp4-encoding.ts's arguments. The capture and its MP4 are
 * kept in samples/demo/work-mp4/reference-capture (git-ignored).
 *
 *   npx tsx scripts/make-demo-mp4-reference.ts
 */
import { dirname } from "node:path";
import { writeFileAtomic } from "../src/util/atomic-write.js";
import { makeDemoMp4Reference, mp4ReferenceToml } from "./demo/mp4-reference.js";
import { demoPaths } from "./demo/paths.js";
import { referenceVideoToml } from "./demo/reference.js";

const reference = await makeDemoMp4Reference(demoPaths.mp4ReferenceCapture, dirname(demoPaths.mp4FrameHashes));
await writeFileAtomic(demoPaths.referenceVideoMp4, referenceVideoToml(reference, mp4ReferenceToml));
process.stdout.write(`mp4 reference: ${reference.frames.length} frames, ${reference.audio.length} audio windows\n`);
