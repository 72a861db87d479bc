/**
 * Benchmark: building a recompiled title (issue 12). Lifts an NRO, emits it, and times `make` (wall,
 * CPU of make and every compiler it ran, peak RSS of the largest process) in four situations (five with a profile):
 * a cold object cache, re-emitted after a comment was added to title.toml, one function's code changed (with a
 * profile: one function that ran and one that did not),
 * and a new work root on the warm cache. The object cache is a temp folder, never the user's.
 * Reports lifted instructions compiled per CPU second (cold build, guest units and runtime together)
 * and the object cache's size. A module.json already lifted from the NRO may be given to skip the lift, and an
 * execution profile (docs/runtime-core.md, "Optimisation tiers") to emit every build with it.
 *
 *   npx tsx bench/incremental-build.ts [program.nro=samples/demo/demo.nro] [title.toml=samples/demo/title.toml] [module.json] [--profile=<file>]
 *   npx tsx bench/incremental-build.ts node_modules/@nx.js/nro/dist/nxjs.nro samples/libnx/nxjs/title.toml
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { execa } from "execa";
import { moduleJsonSchema, type ModuleJson } from "../src/config/module-json.js";
import { parseTomlFile } from "../src/config/toml.js";
import { titleSchema } from "../src/config/title.js";
import { emitProject } from "../src/emit/index.js";
import { imageFromNro, liftModule, moduleJsonText } from "../src/lift/index.js";
import { functionKey, parseExecutionProfile } from "../src/formats/execution-profile.js";

const root = join(import.meta.dirname, "..");
const profileFile = process.argv.find((arg) => arg.startsWith("--profile="))?.slice("--profile=".length);
const positional = process.argv.slice(2).filter((arg) => !arg.startsWith("--profile="));
const nro = positional[0] ?? join(root, "samples/demo/demo.nro");
const titleFile = positional[1] ?? join(root, "samples/demo/title.toml");
const liftedModule = positional[2];

interface Timing {
  wallS: number;
  cpuS: number;
  maxRssMiB: number;
  compiled: number;
}

const work = await mkdtemp(join(tmpdir(), "recomp-bench-build-"));
const env = { RECOMP_CACHE_DIR: join(work, "cache"), RECOMP_CACHE_LOG: join(work, "cache.log") };

async function make(build: string): Promise<Timing> {
  const before = (await readFile(env.RECOMP_CACHE_LOG, "utf8").catch(() => "")).length;
  const { stderr } = await execa("/usr/bin/time", ["-f", "%e %U %S %M", "make", "-s", "-C", build], { env });
  const [wall, user, system, rss] = (stderr.trim().split("\n").at(-1) ?? "").split(" ").map(Number);
  const log = (await readFile(env.RECOMP_CACHE_LOG, "utf8").catch(() => "")).slice(before);
  const compiled = log.split("\n").filter((line) => line.startsWith("miss ")).length;
  return { wallS: wall ?? NaN, cpuS: (user ?? NaN) + (system ?? NaN), maxRssMiB: (rss ?? NaN) / 1024, compiled };
}

/** Changes the first constant of the middle function that has one and passes `pick`, as an edit of one function would. */
function editOneFunction(module: ModuleJson, pick: (entry: string) => boolean): { name: string; entry: string } {
  const candidates = module.functions.filter((fn) => pick(fn.entry) && fn.blocks.some((block) => block.ops.some((op) => op.op === "const_i64")));
  const fn = candidates[Math.floor(candidates.length / 2)];
  if (fn === undefined) throw new Error("no function with a constant to edit");
  for (const op of fn.blocks.flatMap((block) => block.ops as Record<string, unknown>[])) {
    if (op.op === "const_i64" && typeof op.imm === "string") {
      op.imm = `0x${(BigInt(op.imm) ^ 1n).toString(16)}`;
      return { name: fn.name, entry: fn.entry };
    }
  }
  throw new Error("unreachable");
}

try {
  const titleText = await readFile(titleFile, "utf8");
  const title = parseTomlFile(titleText, titleFile, titleSchema).data;
  const modulePath = liftedModule ?? (await liftModule({ image: await imageFromNro(nro, 0x10000000n), mode: "decode", outDir: join(work, "lift") })).modulePath;
  const module = moduleJsonSchema.parse(JSON.parse(await readFile(modulePath, "utf8")));
  const instructions = module.functions.reduce((sum, fn) => sum + fn.blocks.reduce((n, block) => n + block.ops.filter((op) => op.op === "insn").length, 0), 0);
  const profile = profileFile === undefined ? undefined : parseExecutionProfile(await readFile(profileFile, "utf8"), profileFile);
  const emit = (path: string, out: string, config = title) => emitProject({ moduleJsonPath: path, outDir: out, title: config, titleFile, profile });
  const rows: [string, Timing][] = [];

  await emit(modulePath, join(work, "a"));
  rows.push(["cold object cache", await make(join(work, "a"))]);
  const commented = parseTomlFile(`${titleText}\n# a comment\n`, titleFile, titleSchema).data;
  await emit(modulePath, join(work, "a"), commented);
  rows.push(["comment added to title.toml, re-emitted", await make(join(work, "a"))]);
  // With a profile, one edit in a function it saw run (hot: its unit compiles at -O2) and one in a function it did not.
  const edits: [string, (entry: string) => boolean][] =
    profile === undefined
      ? [["", () => true]]
      : [[", cold", (entry) => !profile.calls.has(functionKey(entry))], [", hot", (entry) => profile.calls.has(functionKey(entry))]];
  const editedPath = join(work, "lift", "module-edited.json");
  // The edited module's segment images resolve beside it: copy them when the lift was given.
  for (const segment of liftedModule === undefined ? [] : module.segments) {
    if (segment.init_path === undefined) continue;
    await mkdir(dirname(join(work, "lift", segment.init_path)), { recursive: true });
    await copyFile(join(dirname(modulePath), segment.init_path), join(work, "lift", segment.init_path));
  }
  for (const [tier, pick] of edits) {
    const edited = editOneFunction(module, pick);
    await writeFile(editedPath, moduleJsonText(module));
    await emit(editedPath, join(work, "a"));
    rows.push([`one function changed (${edited.name}${tier})`, await make(join(work, "a"))]);
  }
  await emit(editedPath, join(work, "b"));
  rows.push(["new work root, warm cache", await make(join(work, "b"))]);

  const units = (await readFile(join(work, "a", "Makefile"), "utf8")).match(/^guest\/\S+\.o:/gm)?.length ?? 0;
  const load = (await readFile("/proc/loadavg", "utf8").catch(() => "n/a")).split(" ").slice(0, 3).join(" ");
  const profiled = profile === undefined ? "" : `; profile ${profileFile} (${profile.calls.size} functions ran)`;
  process.stdout.write(`${nro}: ${module.functions.length} functions, ${instructions} lifted instructions, ${units} guest C files${profiled}; load average ${load}\n`);
  process.stdout.write("| build | wall s | CPU s | peak RSS MiB | objects compiled |\n|---|---|---|---|---|\n");
  for (const [name, t] of rows) process.stdout.write(`| ${name} | ${t.wallS.toFixed(2)} | ${t.cpuS.toFixed(2)} | ${t.maxRssMiB.toFixed(0)} | ${t.compiled} |\n`);
  const cold = rows[0]?.[1];
  if (cold !== undefined) process.stdout.write(`lifted instructions compiled per CPU second (cold): ${(instructions / cold.cpuS).toFixed(0)}\n`);
  const { stdout: cacheSize } = await execa("du", ["-sm", join(env.RECOMP_CACHE_DIR, "objects")]);
  process.stdout.write(`object cache: ${cacheSize.split("\t")[0] ?? "?"} MiB\n`);
} finally {
  await rm(work, { recursive: true, force: true });
}
