// validate: validation-report.html, self-contained: inline SVG plots, tables, and thumbnails of the worst frames.
import type { ValidationReport } from "../config/index.js";
import { signatureHeight, signatureWidth } from "../media/index.js";
import { escapeXml, grayPngDataUri } from "./markup.js";

export interface WorstFrame {
  refFrame: number;
  capFrame: number;
  similarity: number | undefined;
  refThumb: Uint8Array;
  capThumb: Uint8Array;
}

export interface HtmlPlotData {
  /** Per reference frame of the window: similarity (perceptual), or 1/0 for matched/unmatched. */
  series: number[];
  drift: Array<number | undefined>;
  worst: WorstFrame[];
}

const plotWidth = 900;
const plotHeight = 150;
const e = (value: unknown) => escapeXml(String(value));

function xOf(i: number, count: number): string {
  return ((i / Math.max(1, count - 1)) * plotWidth).toFixed(1);
}

function similarityPlot(report: ValidationReport, data: HtmlPlotData): string {
  const n = data.series.length;
  const base = report.frames.reference_window.start_frame;
  const marks = report.frames.mismatch_runs
    .map((run) => {
      const x = Number(xOf(run.start_frame - base, n));
      const w = Math.max(1, Number(xOf(run.end_frame - base + 1, n)) - x);
      return `<rect x="${x.toFixed(1)}" y="0" width="${w.toFixed(1)}" height="${plotHeight}" fill="#e53935" fill-opacity="0.25"><title>${e(run.category)} ${e(run.start)}-${e(run.end)}</title></rect>`;
    })
    .join("");
  const points = data.series.map((v, i) => `${xOf(i, n)},${((1 - v) * plotHeight).toFixed(1)}`).join(" ");
  const min = report.thresholds.frame_similarity_min?.value;
  const threshold =
    report.mode.value === "perceptual" && min !== undefined
      ? `<line x1="0" x2="${plotWidth}" y1="${((1 - min) * plotHeight).toFixed(1)}" y2="${((1 - min) * plotHeight).toFixed(1)}" stroke="#888" stroke-dasharray="4 3"/>`
      : "";
  return `<svg viewBox="0 0 ${plotWidth} ${plotHeight}" width="${plotWidth}" height="${plotHeight}" role="img" aria-label="similarity over time">${marks}${threshold}<polyline fill="none" stroke="#1e88e5" stroke-width="1" points="${points}"/></svg>`;
}

function driftPlot(report: ValidationReport, data: HtmlPlotData): string {
  const n = data.drift.length;
  const limit = report.thresholds.max_drift_frames?.value ?? 0;
  const span = Math.max(limit + 1, report.frames.drift.max_abs_frames + 1);
  const yOf = (d: number) => (plotHeight / 2 - (d / span) * (plotHeight / 2)).toFixed(1);
  const points = data.drift.flatMap((d, i) => (d === undefined ? [] : [`${xOf(i, n)},${yOf(d)}`])).join(" ");
  const lines = [limit, -limit]
    .map((d) => `<line x1="0" x2="${plotWidth}" y1="${yOf(d)}" y2="${yOf(d)}" stroke="#e53935" stroke-dasharray="4 3"/>`)
    .join("");
  return `<svg viewBox="0 0 ${plotWidth} ${plotHeight}" width="${plotWidth}" height="${plotHeight}" role="img" aria-label="drift in frames over time"><line x1="0" x2="${plotWidth}" y1="${yOf(0)}" y2="${yOf(0)}" stroke="#bbb"/>${lines}<polyline fill="none" stroke="#43a047" stroke-width="1.5" points="${points}"/></svg>`;
}

function table(headers: readonly string[], rows: ReadonlyArray<readonly unknown[]>): string {
  if (rows.length === 0) return "<p>none</p>";
  const head = headers.map((h) => `<th>${e(h)}</th>`).join("");
  const body = rows.map((row) => `<tr>${row.map((cell) => `<td>${e(cell ?? "")}</td>`).join("")}</tr>`).join("\n");
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function thumbnails(worst: readonly WorstFrame[], referenceFps: number, captureFps: number): string {
  if (worst.length === 0) return "<p>no mismatched frames with thumbnails</p>";
  return worst
    .map((w) => {
      const diff = new Uint8Array(w.refThumb.length);
      for (let i = 0; i < diff.length; i += 1) diff[i] = Math.min(255, 4 * Math.abs((w.refThumb[i]) - (w.capThumb[i])));
      const img = (pixels: Uint8Array, label: string) =>
        `<figure><img src="${grayPngDataUri(pixels, signatureWidth, signatureHeight)}" width="${signatureWidth * 3}" height="${signatureHeight * 3}" alt="${e(label)}"><figcaption>${e(label)}</figcaption></figure>`;
      const sim = w.similarity === undefined ? "" : `, similarity ${w.similarity}`;
      return `<div class="thumbs"><p>reference frame ${w.refFrame} (${(w.refFrame / referenceFps).toFixed(3)} s) vs capture frame ${w.capFrame} (${(w.capFrame / captureFps).toFixed(3)} s)${e(sim)}</p>${img(w.refThumb, "reference")}${img(w.capThumb, "capture")}${img(diff, "difference x4")}</div>`;
    })
    .join("\n");
}

export function renderHtmlReport(report: ValidationReport, text: string, data: HtmlPlotData): string {
  const f = report.frames;
  const verdictClass = report.verdict === "pass" ? "pass" : "fail";
  const sections = [
    `<h1>Validation "${e(report.name)}": <span class="${verdictClass}">${e(report.verdict.toUpperCase())}</span></h1>`,
    `<pre>${e(text)}</pre>`,
    `<h2>Similarity over the reference window</h2><p>${e(f.reference_window.start)} to ${e(f.reference_window.end)}; mismatch ranges in red${report.mode.value === "perceptual" ? ", the dashed line is frame_similarity_min" : " (exact mode: 1 = identical pixels)"}.</p>`,
    similarityPlot(report, data),
    `<h2>Drift (frames)</h2><p>Capture position minus expected position; dashed lines at &plusmn;max_drift_frames.</p>`,
    driftPlot(report, data),
    `<h2>Failures</h2>`,
    table(["category", "where", "what", "suggestion"], report.failures.map((x) => [x.category, x.start === undefined ? "" : `${x.start}-${x.end ?? ""}`, x.message, x.suggestion])),
    `<h2>Mismatch ranges (longest first)</h2>`,
    table(["start", "end", "frames", "category", "mean similarity"], f.mismatch_runs.map((r) => [r.start, r.end, r.frames, r.category, r.mean_similarity ?? ""])),
    `<h2>Worst frames</h2>`,
    thumbnails(data.worst, f.reference_fps, f.capture_fps),
    `<h2>Dropped and duplicated frames</h2>`,
    table(["kind", "reference time", "frame"], [
      ...f.dropped.frames.map((d) => ["dropped", d.time, `reference ${d.reference_frame}`]),
      ...f.duplicated.frames.map((d) => [d.kind, d.time, `capture ${d.capture_frame} (${d.capture_time})`]),
    ]),
    `<h2>Audio</h2>`,
    table(["status", "offset ms", "match ratio", "dropouts"], [[report.audio.status, report.audio.offset_ms ?? "", report.audio.match_ratio ?? "", report.audio.dropouts.map((d) => `${d.start} (${d.duration_ms} ms)`).join(", ")]]),
    `<h2>Events</h2>`,
    table(["event", "reference", "expected in capture", "observed", "source", "drift s", "ok"], report.events.map((x) => [x.name, x.reference_time, x.expected_capture_time, x.observed_capture_time, x.source, x.drift_seconds, x.passed ? "yes" : "NO"])),
    `<h2>Checks</h2>`,
    table(["check", "value", "limit", "passed"], report.checks.map((c) => [c.name, c.value, c.limit, c.passed ? "yes" : "NO"])),
    `<h2>Thresholds</h2>`,
    table(["threshold", "value", "from"], Object.keys(report.thresholds).sort().map((k) => [k, report.thresholds[k]?.value, report.thresholds[k]?.source])),
    `<h2>Media</h2>`,
    table(["side", "check", "declared", "found", "ok"], report.media.map((m) => [m.side, m.check, m.declared, m.actual, m.ok ? "yes" : "NO"])),
  ];
  const style =
    "body{font-family:system-ui,sans-serif;margin:2em;max-width:960px}table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 6px;font-size:90%;text-align:left}" +
    ".pass{color:#2e7d32}.fail{color:#c62828}svg{border:1px solid #ddd;display:block}figure{display:inline-block;margin:0 8px 0 0}img{image-rendering:pixelated}pre{background:#f6f6f6;padding:8px;white-space:pre-wrap}";
  return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>recomp validation: ${e(report.name)}</title><style>${style}</style></head><body>\n${sections.join("\n")}\n</body></html>\n`;
}
