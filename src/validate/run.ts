// validate: `validateRun`, the validate stage: load the three TOML files, compare, write the reports atomically.
import { recompVersion } from "../util/version.js";
import { mkdir } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { join, relative, sep } from "node:path";
import { parseTimecode } from "../config/timecode.js";
import { loadTomlFile } from "../config/toml.js";
import { validationConfigSchema } from "../config/validation-config.js";
import { validationReportSchema, type ValidationReport } from "../config/validation-report.js";
import { captureVideoSchema, referenceVideoSchema } from "../config/video.js";
import { ffmpegVersion, type AudioProfile, type FfmpegOptions } from "../media/index.js";
import { writeFileAtomic } from "../util/atomic-write.js";
import { canonicalJsonPretty } from "../util/canonical-json.js";
import { asRecompErrors, RecompErrorList, throwIfAny } from "../util/errors.js";
import { sha256File } from "../util/hash.js";
import { compareAudio, type AudioPlot } from "./audio-compare.js";
import { writeFullFrames } from "./full-frames.js";
import type { LocalDifference } from "./local-difference.js";
import { compareAudioHashes } from "./audio-hash-compare.js";
import { decide, shapeMismatch } from "./verdict.js";
import { checkValidationSet, type ValidationSet } from "./check-set.js";
import { locateEvents } from "./events.js";
import { compareFrames, type FrameComparison } from "./frame-compare.js";
import { checkMedia, type MediaSide } from "./media-checks.js";
import { renderHtmlReport, type HtmlPlotData } from "./report-html.js";
import { renderJunitReport } from "./report-junit.js";
import { renderTextReport } from "./report-text.js";
import { effectiveSettings, type EffectiveSettings } from "./settings.js";
import { audioProfileOf, captureAudioProfile, loadAudioSide, loadVideoSides, frameCount, resolveIn, type AudioSide, type VideoSide } from "./sides.js";

export interface ValidateRunOptions extends FfmpegOptions {
  referenceVideoToml: string;
  captureVideoToml: string;
  validationConfigToml?: string | undefined;
  /** Folder that receives validation-report.json, .txt and .html. */
  outDir: string;
  /** Also write JUnit XML here. */
  junitPath?: string | undefined;
}

export interface ValidateRunResult {
  passed: boolean;
  /** Files written, in a fixed order: json, txt, html, then junit when asked. */
  reportFiles: string[];
  /** The text report (what a person reads). */
  summary: string;
  report: ValidationReport;
}

export const reportFileNames = { json: "validation-report.json", text: "validation-report.txt", html: "validation-report.html" } as const;

/** Loads the three files, collecting every problem of all of them before failing. */
export async function loadValidationSet(options: Pick<ValidateRunOptions, "referenceVideoToml" | "captureVideoToml" | "validationConfigToml">): Promise<ValidationSet> {
  const [reference, capture, config] = await Promise.allSettled([
    loadTomlFile(options.referenceVideoToml, referenceVideoSchema, "reference video TOML"),
    loadTomlFile(options.captureVideoToml, captureVideoSchema, "capture video TOML"),
    options.validationConfigToml === undefined ? Promise.resolve(undefined) : loadTomlFile(options.validationConfigToml, validationConfigSchema, "validation config TOML"),
  ]);
  const rejected = [reference, capture, config].flatMap((r) => (r.status === "rejected" ? [r.reason as Error] : []));
  const unexpected = rejected.find((reason) => asRecompErrors(reason).length === 0);
  if (unexpected !== undefined) throw unexpected;
  throwIfAny(rejected.flatMap(asRecompErrors));
  if (reference.status === "rejected" || capture.status === "rejected" || config.status === "rejected") throw new Error("unreachable: rejections were thrown above");
  return { reference: reference.value, capture: capture.value, config: config.value };
}

function posixRelative(from: string, to: string): string {
  return relative(from, to).split(sep).join("/");
}

async function fileRef(outDir: string, file: string): Promise<{ path: string; sha256: string }> {
  return { path: posixRelative(outDir, file), sha256: (await sha256File(file)).sha256 };
}

function thresholdsOf(settings: EffectiveSettings): ValidationReport["thresholds"] {
  return Object.fromEntries(Object.entries(settings.thresholds).map(([k, v]) => [k, { value: v.value, source: v.source }]));
}

function frameWindow(set: ValidationSet, count: number): { start: number; end: number } {
  const fps = set.reference.data.video.fps;
  const timeline = set.reference.data.timeline;
  if (timeline === undefined) return { start: 0, end: count };
  const start = Math.min(count, Math.round((parseTimecode(timeline.start) ?? 0) * fps));
  const end = Math.min(count, Math.round((parseTimecode(timeline.end) ?? 0) * fps));
  return { start, end: Math.max(start, end) };
}

function plotData(comparison: FrameComparison, reference: VideoSide, capture: VideoSide, audio: AudioPlot | undefined): HtmlPlotData {
  const { detail } = comparison;
  const series = detail.similarity.map((s, i) => s ?? (detail.matched[i] ? 1 : 0));
  const refThumbs = reference.features?.colour;
  const capThumbs = capture.features?.colour;
  const base = comparison.section.reference_window.start_frame;
  const worst =
    refThumbs === undefined || capThumbs === undefined
      ? []
      : detail.worst.map((w) => ({
          refFrame: w.ref,
          capFrame: w.cap,
          similarity: w.similarity,
          refThumb: refThumbs.copy(w.ref),
          capThumb: capThumbs.copy(w.cap),
          cell: cellOf(detail.region[w.ref - base]),
        }));
  return { series, drift: detail.drift, worst, audio, fullFrames: undefined };
}

function cellOf(region: LocalDifference | undefined): { x: number; y: number; cells: number } | undefined {
  return region === undefined ? undefined : { x: region.cellX, y: region.cellY, cells: region.cells };
}

/** The media a side's frames can be read from again: the decoded input, else [video] path. */
function frameSource(side: ValidationSet["reference"] | ValidationSet["capture"]): string | undefined {
  const frames = side.data.hashes.frames;
  if (frames.format !== "list") return resolveIn(side.dir, frames.path);
  return resolveIn(side.dir, side.data.video.path);
}

/**
 * Video decodes that run at once split the cores between them. ffmpeg's default (about a thread
 * per core each, for decoding and again for filtering) oversubscribes: two 150 s 720p H.264
 * decodes to thumbnails on 2 cores took 10.1 s that way, 8.6 s with one decoding thread each and
 * about 6.7 s with one filtering thread as well.
 */
function sharedDecoderOptions<T extends FfmpegOptions>(options: T, videoDecodes: number): T {
  if (videoDecodes < 2 || options.threads !== undefined) return options;
  return { ...options, threads: Math.max(1, Math.floor(availableParallelism() / videoDecodes)) };
}

/** Both sides' frames and audio, the media check and the ffmpeg version: independent, so run together. */
async function loadSides(set: ValidationSet, perceptual: boolean, options: FfmpegOptions) {
  const { reference, capture } = set;
  const decodes = [reference.data.hashes, capture.data.hashes].some((h) => h.frames.format !== "list" || (h.audio !== undefined && h.audio.format !== "list"));
  const refAudioSource = reference.data.hashes.audio;
  const capAudioSource = capture.data.hashes.audio;
  const profile = audioProfileOf(reference.data);
  const capProfile = captureAudioProfile(reference.data, capture.data);
  const mediaSides: MediaSide[] = [
    { side: "reference", toml: reference.data, dir: reference.dir, audioProfile: profile, checkAudio: refAudioSource !== undefined },
    { side: "capture", toml: capture.data, dir: capture.dir, audioProfile: capProfile, checkAudio: capAudioSource !== undefined },
  ];
  // Decoding, probing and `ffmpeg -version` are independent child processes: run them together. The
  // comparison does not need the probes, so they are awaited after it (from stored features the probes
  // take longer than reading both sides): `media` is returned pending, marked handled so that an error
  // of the comparison is not hidden by an unhandled rejection; awaiting it still throws.
  const media = checkMedia(mediaSides, options);
  media.catch(() => undefined);
  const videoOptions = sharedDecoderOptions(options, [reference, capture].filter((side) => side.data.hashes.frames.format !== "list").length);
  const [[refVideo, capVideo], refAudio, capAudio, version] = await Promise.all([
    loadVideoSides({ source: reference.data.hashes.frames, dir: reference.dir }, { source: capture.data.hashes.frames, dir: capture.dir }, perceptual, videoOptions),
    refAudioSource === undefined ? undefined : loadAudioSide(refAudioSource, reference.dir, profile, perceptual, options),
    capAudioSource === undefined ? undefined : loadAudioSide(capAudioSource, capture.dir, capProfile, perceptual, options),
    // Decoding records `ffmpeg -version`; a probe-only run records the version ffprobe reports itself.
    decodes ? ffmpegVersion(options) : undefined,
  ]);
  return { refVideo, capVideo, refAudio, capAudio, media, version, profile };
}

/** The media check's warnings, then a frame size or rate mismatch, then each failed media check. */
function reportWarnings(media: Awaited<ReturnType<typeof checkMedia>>, shapes: Parameters<typeof shapeMismatch>[0]): string[] {
  const warnings = [...media.warnings];
  const mismatch = shapeMismatch(shapes);
  if (mismatch !== undefined) warnings.push(`${mismatch}: frames are aligned one to one and compared as 64x36 colour thumbnails`);
  for (const m of media.checks.filter((c) => !c.ok)) warnings.push(`${m.side} ${m.check}: declared ${m.declared}, found ${m.actual}`);
  return warnings;
}

interface AudioInputs {
  refAudio: AudioSide | undefined;
  capAudio: AudioSide | undefined;
  profile: AudioProfile;
  settings: EffectiveSettings;
  window: { start: number; end: number };
  refFps: number;
  capFps: number;
  captureStartFrame: number;
}

/** The audio section: by window hashes (lists without features), by features, or why it was not compared. */
function audioSection(inputs: AudioInputs): { audio: ValidationReport["audio"]; audioPlot: AudioPlot | undefined } {
  const { refAudio, capAudio, profile, settings, window, refFps, capFps } = inputs;
  const none: ValidationReport["audio"] = { status: "not_configured", dropouts: [], silent_ranges: [] };
  if (refAudio === undefined && capAudio !== undefined) return { audio: { ...none, status: "missing_reference" }, audioPlot: undefined };
  if (refAudio !== undefined && capAudio === undefined) return { audio: { ...none, status: "missing_capture" }, audioPlot: undefined };
  if (refAudio === undefined || capAudio === undefined) return { audio: none, audioPlot: undefined };
  const span = { start: window.start / refFps, end: window.end / refFps, captureStart: inputs.captureStartFrame / capFps, maxOffsetSeconds: settings.maxAudioOffsetSeconds.value };
  const refFeatures = refAudio.features;
  const capFeatures = capAudio.features;
  if (refFeatures === undefined || capFeatures === undefined) {
    // Exact mode over prior-art lists that have no features file beside them.
    return { audio: compareAudioHashes({ referenceHashes: refAudio.hashes, captureHashes: capAudio.hashes, profile, ...span }), audioPlot: undefined };
  }
  if (refFeatures.profile.sampleRate !== capFeatures.profile.sampleRate || refFeatures.profile.channels !== capFeatures.profile.channels) {
    return { audio: { ...none, status: "profile_mismatch" }, audioPlot: undefined };
  }
  const compared = compareAudio({
    reference: { ...refAudio, features: refFeatures },
    capture: { ...capAudio, features: capFeatures },
    mode: settings.mode.value,
    ...span,
    similarityMin: settings.thresholds.audio_similarity_min.value,
  });
  return { audio: compared.section, audioPlot: compared.plot };
}

/** Compares capture against reference; returns the report and what to render. Writes nothing. */
export async function buildValidationReport(
  set: ValidationSet,
  options: FfmpegOptions & { outDir: string; writeFrames?: boolean },
): Promise<{ report: ValidationReport; plot: HtmlPlotData }> {
  const problems = checkValidationSet(set);
  if (problems.length > 0) throw new RecompErrorList(problems);
  const { reference, capture } = set;
  const settings = effectiveSettings(reference.data, set.config?.data);
  const perceptual = settings.mode.value === "perceptual";
  const { refVideo, capVideo, refAudio, capAudio, media: pendingMedia, version, profile } = await loadSides(set, perceptual, options);
  const window = frameWindow(set, frameCount(refVideo));
  const refFps = reference.data.video.fps;
  const capFps = capture.data.video.fps;
  const frames = compareFrames({
    reference: refVideo,
    capture: capVideo,
    referenceFps: refFps,
    captureFps: capFps,
    window,
    mode: settings.mode.value,
    frameSimilarityMin: settings.thresholds.frame_similarity_min.value,
    maxDriftFrames: settings.thresholds.max_drift_frames.value,
  });

  const { audio, audioPlot } = audioSection({ refAudio, capAudio, profile, settings, window, refFps, capFps, captureStartFrame: frames.captureStartFrame });

  const events = locateEvents({
    events: reference.data.timeline?.events ?? [],
    observations: capture.data.observations ?? [],
    window,
    referenceFps: refFps,
    captureFps: capFps,
    captureStartFrame: frames.captureStartFrame,
    detail: frames.detail,
    maxDriftSeconds: settings.thresholds.event_drift_max_seconds.value,
  });
  const shapes = {
    reference: { width: refVideo.features?.width, height: refVideo.features?.height, fps: refFps },
    capture: { width: capVideo.features?.width, height: capVideo.features?.height, fps: capFps },
  };
  const media = await pendingMedia;
  const warnings = reportWarnings(media, shapes);

  const verdict = decide({ settings, frames: frames.section, audio, events, differentPairs: frames.differentPairs, shapes });
  const report: ValidationReport = {
    schema_version: "1",
    name: settings.name.value,
    verdict: verdict.passed ? "pass" : "fail",
    mode: settings.mode,
    require_audio: settings.requireAudio,
    tools: { recomp: recompVersion(), ffmpeg: version ?? (media.toolVersions.join(", ") || undefined) },
    inputs: {
      reference: await fileRef(options.outDir, reference.file),
      capture: await fileRef(options.outDir, capture.file),
      validation_config: set.config === undefined ? undefined : await fileRef(options.outDir, set.config.file),
    },
    thresholds: thresholdsOf(settings),
    checks: verdict.checks,
    failures: verdict.failures,
    warnings,
    frames: frames.section,
    audio,
    events,
    media: media.checks,
  };
  const plot = plotData(frames, refVideo, capVideo, audioPlot);
  const first = plot.worst[0];
  if (first !== undefined && options.writeFrames === true) {
    plot.fullFrames = await writeFullFrames(
      options.outDir,
      { input: frameSource(reference), frame: first.refFrame, fps: refFps, thumb: first.refThumb },
      { input: frameSource(capture), frame: first.capFrame, fps: capFps, thumb: first.capThumb },
      options,
    );
  }
  return { report: validationReportSchema.parse(report), plot };
}

/** The validate stage and `recomp validate`: compare, then write json/txt/html (and JUnit) atomically. */
export async function validateRun(options: ValidateRunOptions): Promise<ValidateRunResult> {
  const set = await loadValidationSet(options);
  await mkdir(options.outDir, { recursive: true });
  const { report, plot } = await buildValidationReport(set, { ...options, writeFrames: true });
  const summary = renderTextReport(report);
  const outputs: Array<[string, string]> = [
    [join(options.outDir, reportFileNames.json), canonicalJsonPretty(report)],
    [join(options.outDir, reportFileNames.text), summary],
    [join(options.outDir, reportFileNames.html), renderHtmlReport(report, summary, plot)],
  ];
  if (options.junitPath !== undefined) outputs.push([options.junitPath, renderJunitReport(report)]);
  for (const [file, content] of outputs) await writeFileAtomic(file, content);
  return { passed: report.verdict === "pass", reportFiles: outputs.map(([file]) => file), summary, report };
}
