// emit: the pipeline stage's library entry: module.json to a self-contained C project (guest/ units, runtime, images, Makefile).
import { createHash } from "node:crypto";
import { readdir, readFile, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { ModuleJson } from "../config/module-json.js";
import type { Personality, TitleConfig } from "../config/title.js";
import { writeFileIfChanged } from "../util/atomic-write.js";
import { RecompError } from "../util/errors.js";
import { emitEmulatedTablesC, emitLayoutH, guestSources, imageSegments, type GuestTier } from "./emit-c.js";
import { loadModuleJson } from "./load-module.js";
import { ranFunctions } from "./profile-tiers.js";
import type { ExecutionProfile } from "../formats/execution-profile.js";
import { memoryMap, stackTop, type Region } from "./memory-map.js";
import { runtimeRoot } from "./runtime-root.js";


export interface EmitRequest {
  moduleJsonPath: string;
  outDir: string;
  title?: TitleConfig;
  /** For error locations only. */
  titleFile?: string;
  /** Default: title.toml's runtime.personality, else "demo". */
  personality?: Personality;
  /** A prior-art module's entry function (automation.toml [run] lift_entry; default "entry"). */
  entryName?: string;
  /**
   * "recompiled" (default): the lifted functions for the system C compiler. "emulated": the host of the
   * emulated reference (docs/reference-emulated.md), a static AArch64 Linux program that runs the
   * module's original code under qemu-aarch64 over the same runtime.
   */
  host?: BuildHost;
  /** An execution profile (recomp emit --profile): the functions it never saw run go to cold files at $(COLDOPT). */
  profile?: ExecutionProfile;
}

export type BuildHost = "recompiled" | "emulated";

export interface EmitResult {
  /** Every file written, relative to outDir, sorted. */
  files: string[];
  /** The executable `make` builds in outDir. */
  executable: string;
  /** A prior-art module's constructs that were lifted as traps (loadModuleJson). */
  warnings: RecompError[];
}

export const executableName = "recomp-title";
/** The emulated reference's host program (host "emulated"). */
export const emulatedExecutableName = "recomp-reference";
const coreFiles = ["a64.h", "cold_access.c", "cpu.h", "dispatch.c", "main.c", "memory.c", "memory.h", "profile.c", "program.h", "stops.c", "svc_log.h"];
/** Core files only lifted code needs: the emulated host runs the original code instead. */
const liftedCodeFiles = new Set(["cold_access.c", "dispatch.c", "profile.c"]);

/** Adds every .c/.h file under runtime/<folder> (recursively) to `files`, keyed by its path in the project. */
async function addRuntimeFolder(files: Map<string, Buffer>, folder: string): Promise<void> {
  const entries = await readdir(join(runtimeRoot, folder), { recursive: true, withFileTypes: true });
  const names = entries.filter((entry) => entry.isFile() && /\.[ch]$/.test(entry.name)).map((entry) => join(entry.parentPath, entry.name));
  for (const name of names.map((path) => path.slice(runtimeRoot.length + 1).split("\\").join("/")).sort()) {
    files.set(`runtime/${name}`, await readFile(join(runtimeRoot, name)));
  }
}

async function runtimeFiles(personality: Personality, host: BuildHost): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const svcFile = personality === "horizon" ? [] : [`svc_${personality}.c`];
  const core = host === "emulated" ? coreFiles.filter((name) => !liftedCodeFiles.has(name)) : coreFiles;
  for (const name of [...core, ...svcFile]) {
    files.set(`runtime/core/${name}`, await readFile(join(runtimeRoot, "core", name)));
  }
  // The FP/SIMD/system helpers: every header of runtime/core/a64, one per instruction group, and the .c files of
  // the bulky ones compiled once (the emulated host runs no lifted code, so it needs only what the headers declare).
  await addRuntimeFolder(files, "core/a64");
  if (host === "emulated") for (const name of [...files.keys()]) if (name.startsWith("runtime/core/a64/") && name.endsWith(".c")) files.delete(name);
  if (personality !== "linux") await addRuntimeFolder(files, "services");
  if (personality === "horizon") await addRuntimeFolder(files, "horizon");
  if (host === "emulated") await addRuntimeFolder(files, "emulated");
  files.set("runtime/build/objcache.sh", await readFile(join(runtimeRoot, "build", "objcache.sh")));
  return files;
}

const includes = "-I. -Iruntime/core -Iruntime/services -Iruntime/horizon";

/** One object rule: through the object cache (runtime/build/objcache.sh), in the given C dialect and extra flags. */
function objectRule(source: string, flags: string): string[] {
  return [`${source.replace(/\.c$/, ".o")}: ${source} $(HEADERS)`, `\t$(OBJCACHE) $@ ${source} $(CC) $(CFLAGS) $(FPFLAGS) ${flags} $(INCLUDES)`, ""];
}

/** The toolchain lines: the system compiler, or the static AArch64 Linux host of the emulated reference. */
function toolchain(host: BuildHost): string[] {
  if (host === "recompiled") return ["CC ?= cc", "CFLAGS ?= -O2", "LDFLAGS =", `INCLUDES = ${includes}`];
  return [
    "# The emulated reference's host (docs/reference-emulated.md): static, for qemu-aarch64; guest address = host address,",
    "# so rt_guest_base is 0 (no null-pointer assumptions), and the host itself lies above the guest space (2^38).",
    "CC = aarch64-linux-gnu-gcc",
    "CFLAGS ?= -O2",
    "CFLAGS += -DRT_GUEST_AT_HOST_ADDRESS -fno-delete-null-pointer-checks -mno-outline-atomics",
    "LDFLAGS = -static -Wl,-Ttext-segment=0x9000000000",
    `INCLUDES = ${includes} -Iruntime/emulated`,
  ];
}

/**
 * The C files to compile, largest first: `make -j` starts prerequisites in their order, so the longest compiles
 * start first and the last ones to finish are short (a large unit started last would leave the other cores idle).
 */
function bySizeDescending(files: readonly string[], sizes: ReadonlyMap<string, number>): string[] {
  return [...files].sort((a, b) => (sizes.get(b) ?? 0) - (sizes.get(a) ?? 0) || (a < b ? -1 : 1));
}

/**
 * The lifted code's optimisation. -O2: -O1 compiles it about 1.45 times faster but the recompiled demo ran about 5%
 * slower (docs/benchmarks.md, nx.js build throughput, session 7), so it is the user's choice (GUESTOPT=-O1). A unit
 * over the instruction limit (one huge function: register allocation and dataflow grow faster than its size) gets
 * -Og, about a third of its -O2 time, so that a change in that function rebuilds in seconds; its code runs slower.
 * With an execution profile, code it never saw run is in cold files at -O0 (emit-c.ts unitSources). Hot code also
 * drops the guest-space check at addresses the compiler knows (HOTFLAGS): 7-8% fewer instructions run where globals
 * are reached through adrp, for 10-18% more compile time of those units, which a profile makes few.
 */
const optimisation = [
  "# The lifted code's optimisation (docs/runtime-core.md, \"Optimisation tiers\"): -O2, and -Og for a unit holding one",
  "# function over the unit instruction limit (a third of its -O2 compile time). `make GUESTOPT=-O1` compiles about",
  "# 1.45x faster, runs ~5% slower. With an execution profile (recomp emit --profile), the code it never saw run is in",
  "# the cold files (guest/*.cold.c), at -O0: they compile in about a third of the -O2 time. HOTFLAGS: the hot code has no",
  "# guest-space check at addresses the compiler knows (runtime/core/memory.h); `make HOTFLAGS=` compiles it 10-18% faster.",
  "GUESTOPT ?= -O2",
  "HOTFLAGS ?= -DRT_GUEST_KNOWN_ADDRESSES=1",
  "HUGEOPT ?= -Og",
  "COLDOPT ?= -O0",
];

const tierFlags: Record<GuestTier, string> = { hot: "$(GUESTOPT) $(HOTFLAGS)", huge: "$(HUGEOPT)", cold: "$(COLDOPT)" };

/** The profiling build's lines: the lifted units count their calls (runtime/core/profile.c), objects apart. */
function profilingBuild(guest: readonly string[], runtimeObjects: readonly string[]): string[] {
  return [
    "# The profiling build (docs/runtime-core.md, \"Optimisation tiers\"): `make recomp-title-profile`, then run it with",
    "# RECOMP_PROFILE_OUT=<file>; every lifted function counts its calls (GCC's -finstrument-functions, runtime/core/profile.c)",
    "# and the run writes the ones that ran to that file, for `recomp emit --profile <file>`. Its objects are guest/*.prof.o.",
    "# Every unit in the cold form (RT_COLD_UNIT: checked calls for loads and stores), the cheapest to compile.",
    "PROFILEOPT ?= -O0",
    "PROFILEFLAGS = -DRT_COLD_UNIT=1 -finstrument-functions -finstrument-functions-exclude-file-list=runtime/",
    `${executableName}-profile: ${[...guest.map((file) => file.replace(/\.c$/, ".prof.o")), ...runtimeObjects].join(" ")}`,
    "\t$(CC) $(CFLAGS) $(LDFLAGS) -o $@.tmp $^ $(LDLIBS) && mv $@.tmp $@",
    "",
    "guest/%.prof.o: guest/%.c $(HEADERS)",
    "\t$(OBJCACHE) $@ $< $(CC) $(CFLAGS) $(FPFLAGS) -std=c99 $(PROFILEOPT) $(GUESTFLAGS) $(PROFILEFLAGS) $(INCLUDES)",
    "",
  ];
}

function makefile(sources: readonly string[], sizes: ReadonlyMap<string, number>, host: BuildHost, tiers: ReadonlyMap<string, GuestTier>): string {
  const guest = sources.filter((file) => file.startsWith("guest/") && file.endsWith(".c"));
  const runtime = sources.filter((file) => file.startsWith("runtime/") && file.endsWith(".c"));
  const objects = bySizeDescending([...guest, ...runtime], sizes).map((file) => file.replace(/\.c$/, ".o"));
  const runtimeObjects = runtime.map((file) => file.replace(/\.c$/, ".o"));
  const headers = sources.filter((file) => file.endsWith(".h"));
  const executable = host === "emulated" ? emulatedExecutableName : executableName;
  return [
    "# Generated by recomp (docs/runtime-core.md): builds the recompiled title with the system C compiler,",
    "# one job per core, every object through the content-addressed cache of runtime/build/objcache.sh.",
    ...toolchain(host),
    "# FP semantics (docs/a64.md): no contraction into fused multiply-adds, and the rounding mode is dynamic (FPCR.RMode).",
    "FPFLAGS = -ffp-contract=off -frounding-math",
    "# The lifted code needs no unwind tables (nothing unwinds through it: no C++ exceptions, no pthread_cancel);",
    "# leaving them out saves about a sixth of its compile time (the assembler's share and .eh_frame).",
    "# A helper a unit calls without its header (helper-headers.ts) is an error, not an implicit declaration.",
    "GUESTFLAGS = -fno-asynchronous-unwind-tables -Werror=implicit-function-declaration",
    ...optimisation,
    "LDLIBS = -lm",
    "NPROC := $(shell nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)",
    "MAKEFLAGS += -j$(NPROC)",
    `HEADERS = ${headers.join(" ")}`,
    "# The object cache's key base, once per build: the compiler's identity and every header a unit can include",
    "# (runtime/build/objcache.sh), so each unit's key needs only its own bytes and flags.",
    `OBJCACHE_BASE := $(shell sh runtime/build/objcache.sh --base "$(CC)" $(HEADERS) -- ${runtime.join(" ")})`,
    "OBJCACHE = sh runtime/build/objcache.sh $(OBJCACHE_BASE)",
    "",
    `${executable}: ${objects.join(" ")}`,
    // Linked to a temporary and renamed: a build killed midway leaves no truncated program newer than its objects.
    "\t$(CC) $(CFLAGS) $(LDFLAGS) -o $@.tmp $^ $(LDLIBS) && mv $@.tmp $@",
    "",
    "# The lifted code is C99; the runtime is C11.",
    ...guest.flatMap((file) => objectRule(file, `-std=c99 ${tierFlags[tiers.get(file) ?? "hot"]} $(GUESTFLAGS)`)),
    ...runtime.flatMap((file) => objectRule(file, "-std=c11")),
    ...(host === "recompiled" ? profilingBuild(guest, runtimeObjects) : []),
    "clean:",
    `\trm -f ${executable} ${objects.join(" ")}${host === "recompiled" ? ` ${executableName}-profile guest/*.prof.o` : ""}`,
    "",
    ".PHONY: clean",
    "",
  ].join("\n");
}

/**
 * Units (and their objects) an earlier emit wrote that the module, or the profile's split, no longer has: only names
 * recomp gives unit files (u_<address>.c, its cold file .cold.c, their objects and profiling objects .prof.o).
 */
async function removeStaleUnits(outDir: string, files: ReadonlySet<string>): Promise<void> {
  const names = await readdir(join(outDir, "guest")).catch(() => []);
  for (const name of names.filter((entry) => /^u_(head|[0-9a-f]+)(\.cold)?(\.c|\.o|\.prof\.o)$/.test(entry))) {
    if (!files.has(`guest/${name.replace(/(\.prof)?\.o$/, ".c")}`)) await rm(join(outDir, "guest", name), { force: true });
  }
}

/** Adds the segment images to `files`, each checked against module.json's size and digest. */
async function addSegmentImages(files: Map<string, Buffer>, module: ModuleJson, moduleJsonPath: string): Promise<void> {
  const moduleDir = dirname(moduleJsonPath);
  for (const segment of module.segments) {
    if (segment.init_path === undefined || segment.init_size === 0) continue;
    const bytes = await readFile(join(moduleDir, segment.init_path));
    const digest = createHash("sha256").update(bytes).digest("hex");
    if (bytes.length !== segment.init_size || (segment.init_sha256 !== undefined && digest !== segment.init_sha256)) {
      throw new RecompError({
        code: "input_mismatch",
        message: `segment image ${segment.init_path} does not match module.json (size ${bytes.length}, expected ${segment.init_size})`,
        location: { file: moduleJsonPath, keyPath: `segments.${segment.name}` },
        hint: "re-run recomp lift so module.json and its images agree",
      });
    }
    files.set(segment.init_path, bytes);
  }
}

/**
 * Writes the lifted program's C files into outDir as they are emitted, each unit before the next is emitted.
 * Returns the byte size and the tier of each by project path.
 */
async function writeGuestSources(outDir: string, module: ModuleJson, regions: readonly Region[], top: bigint, ran: ReadonlySet<string> | undefined) {
  const sizes = new Map<string, number>();
  const tiers = new Map<string, GuestTier>();
  for (const guest of guestSources(module, regions, top, ran)) {
    const bytes = Buffer.from(guest.source);
    await writeFileIfChanged(join(outDir, guest.path), bytes);
    sizes.set(guest.path, bytes.length);
    tiers.set(guest.path, guest.tier);
  }
  return { sizes, tiers };
}

/** Writes the C project for `module.json` into outDir; the same inputs give byte-identical files. */
export async function emitProject(request: EmitRequest): Promise<EmitResult> {
  const { module, warnings } = await loadModuleJson(request.moduleJsonPath, request.entryName);
  const regions = memoryMap(module, request.title, request.titleFile);
  const top = stackTop(regions, request.titleFile);
  const host = request.host ?? "recompiled";
  const files = await runtimeFiles(request.personality ?? request.title?.runtime?.personality ?? "demo", host);
  files.set("layout.h", Buffer.from(emitLayoutH(regions)));
  // The images are checked before any file is written: a mismatch leaves outDir as it was.
  await addSegmentImages(files, module, request.moduleJsonPath);
  if (host === "emulated") {
    const entry = BigInt(module.entry ?? module.segments[0]?.base ?? "0x0");
    files.set("guest/tables.c", Buffer.from(emitEmulatedTablesC(entry, regions, imageSegments(module), top)));
  }
  const ran = request.profile === undefined ? undefined : ranFunctions(request.profile, module, warnings);
  const guest = host === "emulated" ? { sizes: new Map<string, number>(), tiers: new Map<string, GuestTier>() } : await writeGuestSources(request.outDir, module, regions, top, ran);
  const sizes = new Map([...[...files].map(([name, content]): [string, number] => [name, content.length]), ...guest.sizes]);
  const names = [...sizes.keys()].sort();
  files.set("Makefile", Buffer.from(makefile(names, sizes, host, guest.tiers)));
  for (const [name, content] of [...files].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    await writeFileIfChanged(join(request.outDir, name), content);
  }
  await removeStaleUnits(request.outDir, new Set(names));
  return { files: [...names, "Makefile"].sort(), executable: host === "emulated" ? emulatedExecutableName : executableName, warnings };
}
