/**
 * Benchmark: native extraction of a generated 1 GiB XCI (almost all RomFS) against
 * `openssl enc -d -aes-128-ctr` over the same image, in the same session (the decryption limit).
 * Run by hand: `npx tsx bench/xci-extract.ts [MiB] [rounds]` (default 1024, 5). Needs openssl,
 * /usr/bin/time and ~4 GiB in the temp folder. Reports medians of wall and CPU time.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { openFileSource } from "../src/formats/byte-source.js";
import { loadKeyset } from "../src/formats/keyset.js";
import { largeRomfsSource } from "../src/formats/testing/large-romfs.js";
import { makeXciFixture } from "../src/formats/testing/xci-fixture.js";
import { openXci } from "../src/formats/xci.js";
import { extractRomfs } from "../src/intake/romfs-extract.js";
import { openProgramSections } from "../src/intake/xci-extract.js";
import { listPrograms, listXciContents, selectProgram } from "../src/intake/xci-programs.js";
import { fixtureProgram } from "../test/fixtures/xci-case.js";

interface Timing {
  wallMs: number;
  cpuMs: number;
}

const mib = Number(process.argv[2] ?? "1024");
const rounds = Number(process.argv[3] ?? "5");
const dir = await mkdtemp(join(tmpdir(), "recomp-bench-xci-"));
const rate = (bytes: number, ms: number): string => `${(bytes / (1 << 20) / (ms / 1000)).toFixed(0)} MiB/s`;

try {
  const started = performance.now();
  const fixture = await makeXciFixture(join(dir, "in"), { programs: [fixtureProgram({ romfs: largeRomfsSource(mib << 20) })] });
  await rm(join(dir, "in", "nca-work"), { recursive: true });
  const imageSize = (await stat(fixture.xci)).size;
  const romfsBytes = mib << 20;
  console.log(`generated a ${imageSize}-byte XCI (${romfsBytes} RomFS file bytes) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const keys = { keys: await loadKeyset(fixture.keys) };

  const native = async (): Promise<Timing> => {
    const out = join(dir, "romfs-out");
    await rm(out, { recursive: true, force: true });
    const source = await openFileSource(fixture.xci);
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    try {
      const image = await openXci(source);
      const contents = await listXciContents(image, keys, "bench.xci");
      const program = selectProgram(await listPrograms(contents, keys), {});
      const sections = await openProgramSections(program, keys, false);
      if (sections.romfs === undefined) throw new Error("the generated program has no RomFS");
      await extractRomfs(sections.romfs, out);
    } finally {
      await source.close();
    }
    const cpu = process.cpuUsage(cpu0);
    return { wallMs: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000 };
  };

  // /usr/bin/time gives openssl's own CPU time; wall time on a shared machine is mostly load.
  const openssl = (): Timing => {
    const out = join(dir, "openssl.out");
    const t0 = performance.now();
    const args = ["-f", "%U %S", "openssl", "enc", "-d", "-aes-128-ctr", "-K", "e0".repeat(16), "-iv", "00".repeat(16), "-in", fixture.xci, "-out", out];
    const run = spawnSync("/usr/bin/time", args, { encoding: "utf8" });
    const wallMs = performance.now() - t0;
    if (run.status !== 0) throw new Error(`openssl failed: ${run.stderr}`);
    const [user, system] = run.stderr.trim().split("\n").at(-1)?.split(" ").map(Number) ?? [NaN, NaN];
    return { wallMs, cpuMs: ((user ?? NaN) + (system ?? NaN)) * 1000 };
  };

  // Dirty pages of the previous run would be flushed during the next one: sync first, alternate order.
  const flushed = <T>(run: () => T): T => {
    execFileSync("sync");
    return run();
  };
  const results: { native: Timing; openssl: Timing }[] = [];
  for (let i = 0; i < rounds; i += 1) {
    await rm(join(dir, "openssl.out"), { force: true });
    if (i % 2 === 0) {
      const first = flushed(openssl);
      results.push({ openssl: first, native: await flushed(native) });
    } else {
      const first = await flushed(native);
      results.push({ native: first, openssl: flushed(openssl) });
    }
  }
  const median = (tool: "native" | "openssl", key: keyof Timing): number =>
    results.map((r) => r[tool][key]).sort((a, b) => a - b)[Math.floor(results.length / 2)] ?? NaN;
  console.log(`machine: ${execFileSync("nproc", { encoding: "utf8" }).trim()} cores, load average ${execFileSync("cat", ["/proc/loadavg"], { encoding: "utf8" }).split(" ").slice(0, 3).join(" ")}`);
  console.log(execFileSync("openssl", ["version"], { encoding: "utf8" }).trim());
  for (const [i, r] of results.entries()) {
    console.log(`round ${i + 1}: recomp ${r.native.wallMs.toFixed(0)} ms wall / ${r.native.cpuMs.toFixed(0)} ms cpu; openssl ${r.openssl.wallMs.toFixed(0)} ms wall / ${r.openssl.cpuMs.toFixed(0)} ms cpu`);
  }
  for (const key of ["wallMs", "cpuMs"] as const) {
    const ours = romfsBytes / median("native", key);
    const theirs = imageSize / median("openssl", key);
    console.log(
      `median ${key === "wallMs" ? "wall" : "CPU"}: recomp ${rate(romfsBytes, median("native", key))}, openssl ${rate(imageSize, median("openssl", key))}, ratio ${(ours / theirs).toFixed(2)} (goal >= 0.5)`,
    );
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
