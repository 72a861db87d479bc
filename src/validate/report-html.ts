// validate: validation-report.html, self-contained: verdict and first divergence first, colour thumbnails with a
// difference heat-map, links to full-size frames, and SVG charts with labelled axes.
import type { ValidationReport } from "../config/validation-report.js";
import { colourHeight, colourThumbToRgb, colourWidth } from "../media/index.js";
import type { AudioPlot } from "./audio-compare.js";
import { escapeXml, pngDataUri } from "./markup.js";
import { renderChart } from "./report-plots.js";

export interface WorstFrame {
  refFrame: number;
  capFrame: number;
  similarity: number | undefined;
  refThumb: Uint8Array;
  capThumb: Uint8Array;
  /** The worst window (top-left thumbnail cell and side in cells), when known. */
  cell: { x: number; y: number; cells: number } | undefined;
}

export interface HtmlPlotData {
  /** Per reference frame of the window: similarity (perceptual), or 1/0 for matched/unmatched. */
  series: number[];
  drift: Array<number | undefined>;
  worst: WorstFrame[];
  audio: AudioPlot | undefined;
  /** Names of the full-size PNGs written beside the report. */
  fullFrames: { reference: string; capture: string; difference: string } | undefined;
}

const e = (value: unknown) => escapeXml(String(value));
const zoom = 4;

/** Nearest-neighbour enlargement, so the heat-map box can be drawn one pixel wide at report scale. */
function enlarge(rgb: Uint8Array): Uint8Array {
  const w = colourWidth * zoom;
  const out = new Uint8Array(w * colourHeight * zoom * 3);
  for (let y = 0; y < colourHeight * zoom; y += 1) {
    for (let x = 0; x < w; x += 1) {
      const from = (Math.floor(y / zoom) * colourWidth + Math.floor(x / zoom)) * 3;
      out.set(rgb.subarray(from, from + 3), (y * w + x) * 3);
    }
  }
  return out;
}

/** Largest channel difference, x4, on a black-red-yellow-white scale, with the worst window boxed in cyan. */
function heatMap(w: WorstFrame, ref: Uint8Array, cap: Uint8Array): Uint8Array {
  const heat = new Uint8Array(colourWidth * colourHeight * 3);
  for (let p = 0; p < colourWidth * colourHeight; p += 1) {
    let d = 0;
    for (let c = 0; c < 3; c += 1) d = Math.max(d, Math.abs((ref[p * 3 + c]) - (cap[p * 3 + c])));
    const v = Math.min(765, d * 4 * 3);
    heat.set([Math.min(255, v), Math.min(255, Math.max(0, v - 255)), Math.max(0, v - 510)], p * 3);
  }
  const big = enlarge(heat);
  if (w.cell !== undefined) {
    const x0 = w.cell.x * zoom;
    const y0 = w.cell.y * zoom;
    const side = w.cell.cells * zoom;
    const bw = colourWidth * zoom;
    for (let k = -1; k <= side; k += 1) {
      for (const [x, y] of [[x0 + k, y0 - 1], [x0 + k, y0 + side], [x0 - 1, y0 + k], [x0 + side, y0 + k]] as const) {
        if (x >= 0 && y >= 0 && x < bw && y < colourHeight * zoom) big.set([0, 255, 255], (y * bw + x) * 3);
      }
    }
  }
  return big;
}

function thumbnails(worst: readonly WorstFrame[], referenceFps: number, captureFps: number): string {
  if (worst.length === 0) return "<p>no failing frames with thumbnails</p>";
  return worst
    .map((w) => {
      const img = (pixels: Uint8Array, label: string) =>
        `<figure><img class="thumb" src="${pngDataUri(pixels, colourWidth * zoom, colourHeight * zoom, 3)}" width="${colourWidth * zoom}" height="${colourHeight * zoom}" alt="${e(label)}"><figcaption>${e(label)}</figcaption></figure>`;
      const sim = w.similarity === undefined ? "" : `, similarity ${w.similarity}`;
      const ref = colourThumbToRgb(w.refThumb);
      const cap = colourThumbToRgb(w.capThumb);
      return `<div class="thumbs"><p>reference frame ${w.refFrame} (${(w.refFrame / referenceFps).toFixed(3)} s) vs capture frame ${w.capFrame} (${(w.capFrame / captureFps).toFixed(3)} s)${e(sim)}</p>${img(enlarge(ref), "reference")}${img(enlarge(cap), "capture")}${img(heatMap(w, ref, cap), "difference x4, worst region boxed")}</div>`;
    })
    .join("\n");
}

function table(headers: readonly string[], rows: ReadonlyArray<readonly unknown[]>): string {
  if (rows.length === 0) return "<p>none</p>";
  const head = headers.map((h) => `<th>${e(h)}</th>`).join("");
  const body = rows.map((row) => `<tr>${row.map((cell) => `<td>${e(cell ?? "")}</td>`).join("")}</tr>`).join("\n");
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function seconds(timecode: string): number {
  const [h, m, s] = timecode.split(":").map(Number);
  return (h ?? 0) * 3600 + (m ?? 0) * 60 + (s ?? 0);
}

/** The earliest failure with a place, else the first failure, as one sentence. */
export function firstDivergence(report: ValidationReport): string {
  if (report.failures.length === 0) return "none: every check passed";
  const placed = report.failures.filter((f) => f.start !== undefined).sort((a, b) => seconds(a.start ?? "") - seconds(b.start ?? ""));
  const first = placed[0] ?? report.failures[0];
  return first === undefined ? "" : `${first.start ?? ""} [${first.category}] ${first.message}`;
}

function frameCharts(report: ValidationReport, data: HtmlPlotData): string {
  const f = report.frames;
  const fps = f.reference_fps;
  const start = f.reference_window.start_frame / fps;
  const perceptual = report.mode.value === "perceptual";
  const min = report.thresholds.frame_similarity_min?.value;
  const similarity = renderChart({
    label: "similarity over time",
    xLabel: "reference time (s)",
    yLabel: perceptual ? "similarity (worst region)" : "1 = identical pixels",
    xStart: start,
    xStep: 1 / fps,
    series: [{ label: "similarity", colour: "#1e88e5", values: data.series }],
    lines: perceptual && min !== undefined ? [{ value: min, label: `frame_similarity_min ${min}`, colour: "#555" }] : [],
    marks: report.events.map((ev) => ({ at: seconds(ev.reference_time), label: ev.name })),
    ranges: f.mismatch_runs.map((r) => ({ from: r.start_frame / fps, to: (r.end_frame + 1) / fps, label: `${r.category} ${r.start}-${r.end}` })),
    yRange: perceptual ? undefined : [-0.05, 1.05],
  });
  const limit = report.thresholds.max_drift_frames?.value ?? 0;
  const drift = renderChart({
    label: "drift in frames over time",
    xLabel: "reference time (s)",
    yLabel: "drift (frames)",
    xStart: start,
    xStep: 1 / fps,
    series: [{ label: "drift", colour: "#43a047", values: data.drift }],
    lines: [{ value: limit, label: "+max_drift_frames", colour: "#e53935" }, { value: -limit, label: "-max_drift_frames", colour: "#e53935" }],
    marks: report.events.map((ev) => ({ at: seconds(ev.reference_time), label: ev.name })),
  });
  return [
    `<h2>Similarity over the reference window</h2><p>${e(f.reference_window.start)} to ${e(f.reference_window.end)}; mismatch ranges shaded red, events dashed purple${perceptual ? ", the dashed grey line is frame_similarity_min" : ""}. The y axis is fitted to the data.</p>`,
    similarity,
    `<h2>Drift</h2><p>Capture position minus expected position; dashed lines at &plusmn;max_drift_frames.</p>`,
    drift,
  ].join("\n");
}

function audioCharts(report: ValidationReport, data: HtmlPlotData): string {
  const summary = table(["status", "offset ms", "match ratio", "dropouts"], [[report.audio.status, report.audio.offset_ms ?? "", report.audio.match_ratio ?? "", report.audio.dropouts.map((d) => `${d.start} (${d.duration_ms} ms)`).join(", ")]]);
  const plot = data.audio;
  if (plot === undefined) return `<h2>Audio</h2>${summary}<p>no audio features to plot</p>`;
  const start = report.frames.reference_window.start_frame / report.frames.reference_fps;
  const loudness = renderChart({
    label: "audio loudness over time",
    xLabel: "reference time (s)",
    yLabel: "loudness (dBFS)",
    xStart: start,
    xStep: plot.secondsPerWindow,
    series: [
      { label: "reference", colour: "#1e88e5", values: plot.referenceDb },
      { label: "capture (aligned)", colour: "#fb8c00", values: plot.captureDb },
    ],
  });
  const min = report.thresholds.audio_similarity_min?.value;
  const similarity = renderChart({
    label: "audio similarity over time",
    xLabel: "reference time (s)",
    yLabel: "similarity per 1024-sample window",
    xStart: start,
    xStep: plot.secondsPerWindow,
    series: [{ label: "similarity", colour: "#6d4c41", values: plot.similarity }],
    lines: min === undefined ? [] : [{ value: min, label: `audio_similarity_min ${min}`, colour: "#555" }],
  });
  return `<h2>Audio</h2>${summary}<h3>Loudness</h3>${loudness}<h3>Similarity</h3>${similarity}`;
}

function fullFrameLinks(data: HtmlPlotData): string {
  const full = data.fullFrames;
  if (full === undefined) return "";
  const link = (file: string, label: string) => `<a href="${e(file)}"><img class="full" src="${e(file)}" width="300" alt="${e(label)}"></a>`;
  return `<h3>First failing frame pair, full size</h3><p>${link(full.reference, "reference, full size")} ${link(full.capture, "capture, full size")} ${link(full.difference, "difference x4, full size")}</p>`;
}

export function renderHtmlReport(report: ValidationReport, text: string, data: HtmlPlotData): string {
  const f = report.frames;
  const verdictClass = report.verdict === "pass" ? "pass" : "fail";
  const sections = [
    `<h1>Validation "${e(report.name)}": <span id="verdict" class="${verdictClass}">${e(report.verdict.toUpperCase())}</span></h1>`,
    `<p id="first-divergence"><b>First divergence:</b> ${e(firstDivergence(report))}</p>`,
    `<h2>Failures</h2>`,
    table(["category", "where", "what", "suggestion"], report.failures.map((x) => [x.category, x.start === undefined ? "" : `${x.start}-${x.end ?? ""}`, x.message, x.suggestion])),
    `<h2>First failing frames</h2>`,
    thumbnails(data.worst, f.reference_fps, f.capture_fps),
    fullFrameLinks(data),
    frameCharts(report, data),
    audioCharts(report, data),
    `<h2>Mismatch ranges (longest first)</h2>`,
    table(["start", "end", "frames", "category", "mean similarity", "worst region"], f.mismatch_runs.map((r) => [r.start, r.end, r.frames, r.category, r.mean_similarity ?? "", r.worst_region === undefined ? "" : `frame ${r.worst_region.reference_frame}: ${r.worst_region.width}x${r.worst_region.height} at (${r.worst_region.x}, ${r.worst_region.y}), ${r.worst_region.channel} ${r.worst_region.difference} levels`])),
    `<h2>Dropped and duplicated frames</h2>`,
    table(["kind", "reference time", "frame"], [
      ...f.dropped.frames.map((d) => ["dropped", d.time, `reference ${d.reference_frame}`]),
      ...f.duplicated.frames.map((d) => [d.kind, d.time, `capture ${d.capture_frame} (${d.capture_time})`]),
    ]),
    `<h2>Events</h2>`,
    table(["event", "reference", "expected in capture", "observed", "source", "drift s", "ok"], report.events.map((x) => [x.name, x.reference_time, x.expected_capture_time, x.observed_capture_time, x.source, x.drift_seconds, x.passed ? "yes" : "NO"])),
    `<h2>Checks</h2>`,
    table(["check", "value", "limit", "passed"], report.checks.map((c) => [c.name, c.value, c.limit, c.passed ? "yes" : "NO"])),
    `<h2>Thresholds</h2>`,
    table(["threshold", "value", "from"], Object.keys(report.thresholds).sort().map((k) => [k, report.thresholds[k]?.value, report.thresholds[k]?.source])),
    `<h2>Media</h2>`,
    table(["side", "check", "declared", "found", "ok"], report.media.map((m) => [m.side, m.check, m.declared, m.actual, m.ok ? "yes" : "NO"])),
    `<h2>Text report</h2>`,
    `<pre>${e(text)}</pre>`,
  ];
  const style =
    "body{font-family:system-ui,sans-serif;margin:2em;max-width:960px}table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 6px;font-size:90%;text-align:left}" +
    ".pass{color:#2e7d32}.fail{color:#c62828}svg{border:1px solid #ddd;display:block}svg text{font-size:11px;fill:#333}figure{display:inline-block;margin:0 8px 0 0}" +
    "img.thumb{image-rendering:pixelated}pre{background:#f6f6f6;padding:8px;white-space:pre-wrap}.legend{font-size:90%}";
  return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>recomp validation: ${e(report.name)}</title><style>${style}</style></head><body>\n${sections.join("\n")}\n</body></html>\n`;
}
