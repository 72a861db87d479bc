// validate: SVG line charts for the HTML report: labelled axes, ticks, threshold lines, event marks, shaded ranges.
import { escapeXml } from "./markup.js";

export interface ChartSeries {
  label: string;
  colour: string;
  /** One value per step of the x axis; undefined leaves a gap. */
  values: ReadonlyArray<number | undefined>;
}

export interface Chart {
  label: string;
  xLabel: string;
  yLabel: string;
  /** Seconds at the first value, and per value. */
  xStart: number;
  xStep: number;
  series: readonly ChartSeries[];
  /** Horizontal reference lines (thresholds). */
  lines?: ReadonlyArray<{ value: number; label: string; colour: string }>;
  /** Vertical marks (timeline events), in seconds. */
  marks?: ReadonlyArray<{ at: number; label: string }>;
  /** Shaded ranges (mismatch runs), in seconds. */
  ranges?: ReadonlyArray<{ from: number; to: number; label: string }>;
  /** Fixed y range; otherwise fitted to the data and lines, so small dips fill the height. */
  yRange?: readonly [number, number];
}

const width = 900;
const height = 220;
const left = 60;
const right = 12;
const top = 12;
const bottom = 42;
const e = (value: unknown) => escapeXml(String(value));

/** Round tick steps (1, 2, 5 x 10^k) giving about `count` ticks over [min, max]. */
function ticks(min: number, max: number, count: number): number[] {
  const span = max - min || 1;
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw);
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

function fittedRange(chart: Chart): [number, number] {
  if (chart.yRange !== undefined) return [chart.yRange[0], chart.yRange[1]];
  const values = [...chart.series.flatMap((s) => s.values.filter((v): v is number => v !== undefined && Number.isFinite(v))), ...(chart.lines ?? []).map((l) => l.value)];
  if (values.length === 0) return [0, 1];
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = Math.max((hi - lo) * 0.08, 1e-3);
  return [lo - pad, hi + pad];
}

function formatTick(v: number): string {
  return Number(v.toPrecision(4)).toString();
}

export function renderChart(chart: Chart): string {
  const count = Math.max(1, ...chart.series.map((s) => s.values.length));
  const xEnd = chart.xStart + chart.xStep * Math.max(1, count - 1);
  const [y0, y1] = fittedRange(chart);
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const x = (t: number) => (left + ((t - chart.xStart) / (xEnd - chart.xStart || 1)) * plotW).toFixed(1);
  const y = (v: number) => (top + (1 - (Math.min(y1, Math.max(y0, v)) - y0) / (y1 - y0)) * plotH).toFixed(1);
  const parts: string[] = [];
  for (const r of chart.ranges ?? []) {
    const x0 = Number(x(r.from));
    parts.push(`<rect class="range" x="${x0.toFixed(1)}" y="${top}" width="${Math.max(1, Number(x(r.to)) - x0).toFixed(1)}" height="${plotH}" fill="#e53935" fill-opacity="0.2"><title>${e(r.label)}</title></rect>`);
  }
  for (const v of ticks(y0, y1, 5)) {
    parts.push(`<line x1="${left}" x2="${width - right}" y1="${y(v)}" y2="${y(v)}" stroke="#eee"/><text class="tick" x="${left - 6}" y="${y(v)}" text-anchor="end" dominant-baseline="middle">${formatTick(v)}</text>`);
  }
  for (const t of ticks(chart.xStart, xEnd, 10)) {
    parts.push(`<line x1="${x(t)}" x2="${x(t)}" y1="${top + plotH}" y2="${top + plotH + 4}" stroke="#333"/><text class="tick" x="${x(t)}" y="${top + plotH + 16}" text-anchor="middle">${formatTick(t)}</text>`);
  }
  for (const l of chart.lines ?? []) {
    parts.push(`<line class="threshold" x1="${left}" x2="${width - right}" y1="${y(l.value)}" y2="${y(l.value)}" stroke="${l.colour}" stroke-dasharray="5 3"><title>${e(l.label)}</title></line>`);
  }
  for (const m of chart.marks ?? []) {
    parts.push(`<line class="event" x1="${x(m.at)}" x2="${x(m.at)}" y1="${top}" y2="${top + plotH}" stroke="#8e24aa" stroke-dasharray="2 2"/><text class="event-label" x="${x(m.at)}" y="${top + 10}" fill="#8e24aa">${e(m.label)}</text>`);
  }
  for (const s of chart.series) {
    const runs: string[][] = [[]];
    s.values.forEach((v, i) => {
      if (v === undefined || !Number.isFinite(v)) runs.push([]);
      else runs[runs.length - 1]?.push(`${x(chart.xStart + i * chart.xStep)},${y(v)}`);
    });
    for (const points of runs.filter((r) => r.length > 0)) parts.push(`<polyline fill="none" stroke="${s.colour}" stroke-width="1.2" points="${points.join(" ")}"><title>${e(s.label)}</title></polyline>`);
  }
  const axes =
    `<line class="axis" x1="${left}" x2="${left}" y1="${top}" y2="${top + plotH}" stroke="#333"/>` +
    `<line class="axis" x1="${left}" x2="${width - right}" y1="${top + plotH}" y2="${top + plotH}" stroke="#333"/>` +
    `<text class="axis-label" x="${left + plotW / 2}" y="${height - 6}" text-anchor="middle">${e(chart.xLabel)}</text>` +
    `<text class="axis-label" transform="translate(14 ${top + plotH / 2}) rotate(-90)" text-anchor="middle">${e(chart.yLabel)}</text>`;
  const legend = chart.series.length > 1 ? `<p class="legend">${chart.series.map((s) => `<span style="color:${s.colour}">&#9632; ${e(s.label)}</span>`).join(" ")}</p>` : "";
  return `<svg class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${e(chart.label)}">${parts.join("")}${axes}</svg>${legend}`;
}
