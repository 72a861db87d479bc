/**
 * Benchmark: homebrew intake of a 64 MiB NSO whose segments are LZ4-compressed, against the `lz4`
 * command-line tool decompressing the same 64 MiB (compressed by lz4 itself, one frame), in the
 * same session. Both write their output to disk. Goal: intake within 2x of lz4.
 * Wall-clock time is what a user waits; CPU time (user + system, all threads; GNU time for lz4)
 * is also reported because a shared machine makes wall-clock figures noisy.
 *
 *   npx tsx bench/intake-nso.ts [runs=5]
 */
import { execa } from "execa";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { intakeHomebrew } from "../src/intake/homebrew.js";
import { verifyProvenance } from "../src/intake/provenance.js";
import { sha256Hex } from "../src/util/hash.js";
import { memorySource } from "../src/formats/byte-source.js";
import { decompressLz4Block, type Lz4Origin } from "../src/formats/lz4.js";
import { decompressLz4BlockStreamed, lz4BlockOf, lz4WasmAvailable } from "../src/formats/lz4-stream.js";
import { parseNso } from "../src/formats/nso.js";
import { buildNso } from "../test/fixtures/nso-build.js";
import { fixtureSegments } from "../test/fixtures/segments.js";
import { median } from "./median.js";

const runs = Number(process.argv[2] ?? 5);
const MiB = 1 << 20;
const dir = await mkdtemp(join(tmpdir(), "recomp-bench-nso-"));


interface Timing {
  wall: number;
  cpu: number;
}

async function timedHere(run: () => Promise<unknown>): Promise<Timing> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  await run();
  const used = process.cpuUsage(cpu);
  return { wall: (performance.now() - started) / 1000, cpu: (used.user + used.system) / 1e6 };
}

/** Runs a command under GNU time: its wall-clock and CPU seconds. */
async function timedCommand(argv: string[]): Promise<Timing> {
  const result = await execa("/usr/bin/time", ["-f", "%e %U %S", ...argv]);
  const [wall, user, system] = result.stderr.trim().split("\n").pop()?.split(" ").map(Number) ?? [];
  return { wall: wall ?? Number.NaN, cpu: (user ?? Number.NaN) + (system ?? Number.NaN) };
}

function line(name: string, timings: Timing[]): { wall: number; cpu: number } {
  const wall = median(timings.map((t) => t.wall));
  const cpu = median(timings.map((t) => t.cpu));
  console.log(`${name}: median wall ${wall.toFixed(3)} s, cpu ${cpu.toFixed(3)} s of ${timings.length} runs [wall ${timings.map((t) => t.wall.toFixed(3)).join(", ")}]`);
  return { wall, cpu };
}

try {
  const { text, rodata, data } = fixtureSegments({ text: 40 * MiB, rodata: 16 * MiB, data: 8 * MiB, bss: MiB });
  const nso = buildNso({ text, rodata, data, bssSize: MiB, moduleName: "main" });
  const nsoPath = join(dir, "main.nso");
  await writeFile(nsoPath, nso);
  const raw = join(dir, "raw.bin");
  await writeFile(raw, Buffer.concat([text, rodata, data]));
  await execa("lz4", ["-q", "-f", raw, `${raw}.lz4`]);
  await writeFile(
    join(dir, "provenance.toml"),
    `schema_version = "1"\n[title]\nname = "bench"\ntitle_id = "0100000000000000"\nversion = "1"\nregion = "none"\n` +
      `[collection]\ndevice = "generated"\ncollected_at = "2026-11-21"\n[collection.tool]\nname = "bench"\nversion = "1"\n` +
      `[[inputs]]\npath = "main.nso"\nsha256 = "${sha256Hex(nso)}"\nsize = ${nso.length}\nformat = "nso0"\nrole = "module"\n`,
  );
  const provenance = await verifyProvenance(join(dir, "provenance.toml"));
  const { version } = { version: (await execa("lz4", ["--version"])).stdout.trim() };
  console.log(`NSO: ${(nso.length / MiB).toFixed(1)} MiB on disk, 64 MiB of segments; lz4 frame: ${((await execa("stat", ["-c", "%s", `${raw}.lz4`])).stdout.trim())} bytes`);

  const info = await parseNso(memorySource(nso, "main.nso"));
  const stored = info.segments.map((segment) => ({ segment, bytes: nso.subarray(segment.fileOffset, segment.fileOffset + segment.fileSize) }));
  const origin = (segment: (typeof info.segments)[number]): Lz4Origin => ({ label: "main.nso", field: segment.name, offset: segment.fileOffset });
  // Decoding alone: streamed through the WebAssembly decoder's window as intake does (output
  // dropped), and by the TypeScript decoder into one whole buffer per segment as `recomp inspect` does.
  const decodeOnly = async (): Promise<void> => {
    for (const { segment, bytes } of stored) await decompressLz4BlockStreamed(lz4BlockOf(bytes), segment.size, origin(segment), () => undefined);
  };
  const ownDecodeOnly = (): Promise<void> => {
    for (const { segment, bytes } of stored) decompressLz4Block(bytes, segment.size, origin(segment));
    return Promise.resolve();
  };
  const decodeTimes: Timing[] = [];
  const ownDecodeTimes: Timing[] = [];
  const intakeTimes: Timing[] = [];
  const lz4Times: Timing[] = [];
  // Each timed run starts with no dirty pages (sync), so neither side pays for the other's writeback.
  const sync = async (): Promise<unknown> => execa("sync");
  for (let i = 0; i < runs; i += 1) {
    await sync();
    lz4Times.push(await timedCommand(["lz4", "-q", "-d", "-f", `${raw}.lz4`, join(dir, "lz4-out.bin")]));
    await sync();
    intakeTimes.push(await timedHere(() => intakeHomebrew({ nso: [nsoPath], provenance, outDir: join(dir, "intake"), assetsDir: join(dir, "assets") })));
  }
  // The decoders alone, apart, so that their garbage (64-100 MiB per run) does not land in the
  // intake runs' collections: a real intake starts in a fresh process.
  for (let i = 0; i < runs; i += 1) decodeTimes.push(await timedHere(decodeOnly));
  for (let i = 0; i < runs; i += 1) ownDecodeTimes.push(await timedHere(ownDecodeOnly));
  const lz4 = line(`lz4 -d (${version})`, lz4Times);
  line(`LZ4 decoding alone, streamed through the 1 MiB window as intake does (the 3 segments; WebAssembly: ${lz4WasmAvailable() ? "yes" : "no"})`, decodeTimes);
  line("LZ4 decoding alone, TypeScript decoder into whole buffers (as `recomp inspect` does)", ownDecodeTimes);
  const intake = line("recomp intake homebrew (read, decompress, SHA-256 check, write)", intakeTimes);
  console.log(`ratio intake / lz4: wall ${(intake.wall / lz4.wall).toFixed(2)}, cpu ${(intake.cpu / lz4.cpu).toFixed(2)} (goal: <= 2)`);

  // The same intake as a user runs it: a fresh `recomp` process (Node start, module loading and
  // the provenance check included), and that process's start alone, for scale. Needs `npm run build`.
  const cli = ["bin/recomp.js", "intake", "homebrew", "--nso", nsoPath, "--provenance", join(dir, "provenance.toml"), "--out-dir", join(dir, "intake"), "--assets-dir", join(dir, "assets")];
  const cliTimes: Timing[] = [];
  const startTimes: Timing[] = [];
  for (let i = 0; i < runs; i += 1) {
    await sync();
    cliTimes.push(await timedCommand(["node", ...cli]));
    startTimes.push(await timedCommand(["node", "bin/recomp.js", "intake", "homebrew", "--help"]));
  }
  const whole = line("`recomp intake homebrew` as a fresh process", cliTimes);
  line("`recomp intake homebrew --help` (process start and module loading only)", startTimes);
  console.log(`ratio fresh process / lz4: wall ${(whole.wall / lz4.wall).toFixed(2)}, cpu ${(whole.cpu / lz4.cpu).toFixed(2)}`);
  console.log(`load average: ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
