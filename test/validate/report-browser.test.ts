// The red-box case of issue 14 through `validateRun` in both modes, and the HTML report opened in Debian's
// chromium (headless, driven by playwright-core): verdict, first divergence, images, chart axes; JUnit as XML.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderJunitReport, validateRun } from "../../src/validate/index.js";
import { requireTools } from "../helpers/tools.js";
import { makeReference } from "./sensitivity-matrix.js";

// The screenshot is kept as a test artifact (the folder is ignored by git).
const artifacts = join(import.meta.dirname, "..", "..", ".work", "test-artifacts");

function ffmpeg(...args: string[]): void {
  execFileSync("ffmpeg", ["-nostdin", "-v", "error", "-y", ...args], { stdio: ["ignore", "ignore", "inherit"] });
}

function toml(path: string, file: string): string {
  writeFileSync(path, ['schema_version = "1"', "[video]", `path = "${file}"`, "width = 640", "height = 360", "fps = 30", "[hashes.frames]", 'format = "file"', `path = "${file}"`, ""].join("\n"));
  return path;
}

/** Debian's chromium with a fresh profile (playwright passes it as --user-data-dir). */
async function launch(profile: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    viewport: { width: 1000, height: 1400 },
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

describe.runIf(requireTools("ffmpeg", "ffprobe", "chromium"))("a red box over frames 20-40 of a re-encoded capture", () => {
  let dir: string;
  let reference: string;
  let capture: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "recomp-redbox-"));
    reference = makeReference(dir, "game", 2);
    capture = join(dir, "capture.mp4");
    ffmpeg("-i", reference, "-vf", "drawbox=x=300:y=150:w=50:h=30:c=red:t=fill:enable='between(n,20,40)'", "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p", capture);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function run(mode: "exact" | "perceptual") {
    const config = join(dir, `${mode}.toml`);
    writeFileSync(config, `[comparison]\nmode = "${mode}"\n`);
    const out = join(dir, `out-${mode}`);
    const result = await validateRun({ referenceVideoToml: toml(join(dir, "ref.toml"), reference), captureVideoToml: toml(join(dir, "cap.toml"), capture), validationConfigToml: config, outDir: out, junitPath: join(out, "junit.xml") });
    return { ...result, out };
  }

  for (const mode of ["exact", "perceptual"] as const) {
    it(`${mode} mode fails it as a visual mismatch, with the place and the time`, async () => {
      const { passed, report } = await run(mode);
      expect(passed).toBe(false);
      const visual = report.failures.find((f) => f.category === "visual_mismatch");
      expect(visual, JSON.stringify(report.failures)).toBeDefined();
      expect(visual?.start).toBe("00:00:00.667");
      // "... in the WxH region at x=X, y=Y: ...": the box is at x 300-350, y 150-180 and the worst window overlaps it.
      const [, w, h, x, y] = (/(\d+)x(\d+) region at x=(\d+), y=(\d+)/.exec(visual?.message ?? "") ?? []).map(Number);
      expect(x, visual?.message).toBeLessThan(350);
      expect((x ?? 0) + (w ?? 0)).toBeGreaterThan(300);
      expect(y).toBeLessThan(180);
      expect((y ?? 0) + (h ?? 0)).toBeGreaterThan(150);
      // Nothing advises a mode that would hide it: perceptual mode fails it too, and says what it tolerates.
      for (const f of report.failures.filter((x) => x.category === "encoding_difference")) expect(f.suggestion).toMatch(/hides/);
    });
  }

  it("renders a report a browser shows: verdict, first divergence, images, charts with axes; JUnit is XML", async () => {
    const { out, report } = await run("perceptual");
    const profile = mkdtempSync(join(tmpdir(), "recomp-chromium-"));
    const browser = await launch(profile);
    try {
      const page = await browser.newPage();
      await page.goto(pathToFileURL(join(out, "validation-report.html")).href);
      expect(await page.textContent("#verdict")).toBe("FAIL");
      expect(await page.textContent("#first-divergence")).toContain("00:00:00.667");
      // In-page code is passed as text: this project is typed without the DOM library.
      const images = await page.evaluate<Array<{ src: string; loaded: boolean }>>(
        "[...document.images].map((img) => ({ src: img.src.slice(0, 40), loaded: img.complete && img.naturalWidth > 0 }))",
      );
      expect(images.length).toBeGreaterThanOrEqual(6);
      expect(images.filter((i) => !i.loaded)).toEqual([]);
      expect(images.filter((i) => i.src.startsWith("file:")).length).toBe(3);
      const charts = await page.evaluate<Array<{ axes: number; labels: string[]; ticks: number }>>(
        `[...document.querySelectorAll("svg.chart")].map((svg) => ({ axes: svg.querySelectorAll("line.axis").length,
          labels: [...svg.querySelectorAll("text.axis-label")].map((t) => t.textContent), ticks: svg.querySelectorAll("text.tick").length }))`,
      );
      expect(charts.length).toBeGreaterThanOrEqual(2);
      for (const chart of charts) {
        expect(chart.axes).toBe(2);
        expect(chart.labels[0]).toBe("reference time (s)");
        expect(chart.ticks).toBeGreaterThan(4);
      }
      mkdirSync(artifacts, { recursive: true });
      await page.screenshot({ path: join(artifacts, "validation-report.png"), fullPage: true });

      const checks = [...report.checks, { name: "bad\u0001check\u001b[31m <&>\"' \ud800", value: 1, limit: 0, passed: false }];
      const junit = renderJunitReport({ ...report, checks });
      writeFileSync(join(out, "junit-control.xml"), junit);
      for (const file of [join(out, "junit.xml"), join(out, "junit-control.xml")]) {
        const text = readFileSync(file, "utf8");
        // Parsed by the browser's own XML parser (a string, as this project is typed without the DOM library).
        const parsed = await page.evaluate<{ error: number; cases: string[] }>(
          `(() => { const doc = new DOMParser().parseFromString(${JSON.stringify(text)}, "application/xml");
            return { error: doc.getElementsByTagName("parsererror").length, cases: [...doc.getElementsByTagName("testcase")].map((c) => c.getAttribute("name")) }; })()`,
        );
        expect(parsed.error).toBe(0);
        expect(parsed.cases.length).toBe(file.endsWith("control.xml") ? checks.length : report.checks.length);
      }
    } finally {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });
});
