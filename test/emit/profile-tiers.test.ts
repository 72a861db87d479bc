// Optimisation tiers (docs/runtime-core.md): the profiling build writes the functions a run called, the same bytes
// on every run; emitted with that profile, the functions it never saw run go to cold files (-O0, checked calls for
// loads and stores) and the program does exactly what the one-tier build does, a fault in cold code included.
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/main.js";
import { emitProject } from "../../src/emit/index.js";
import { executionProfileHeader, parseExecutionProfile } from "../../src/formats/execution-profile.js";
import { liftModule, type LiftImage } from "../../src/lift/index.js";
import { definitionOf } from "../helpers/guest-source.js";
import { requireTools } from "../helpers/tools.js";

const base = 0x40000;
/**
 * entry: x0 is 0, so `cbz` skips `bl never`; `bl leaf`; leaf stores x0 at 0x70000000 (unmapped: a fault at 0x4001c).
 * never: only a `bl` target, never run.
 */
const words = [
  0xaa1e03f3, // 0x40000 entry: mov x19, x30
  0xb4000040, // cbz x0, 0x4000c
  0x94000007, // bl never (0x40024)
  0x94000003, // 0x4000c: bl leaf (0x40018)
  0xaa1303fe, // mov x30, x19
  0xd65f03c0, // ret
  0xd2ae0001, // 0x40018 leaf: movz x1, #0x7000, lsl #16
  0xf9000020, // 0x4001c: str x0, [x1]
  0xd65f03c0, // ret
  0xd2800020, // 0x40024 never: movz x0, #1
  0xd65f03c0, // ret
];
const fault = "fault: write outside guest memory: 8 bytes at 0x70000000 (instruction at 0x4001c)";

function image(): LiftImage {
  const bytes = new Uint8Array(words.length * 4);
  words.forEach((word, i) => new DataView(bytes.buffer).setUint32(i * 4, word >>> 0, true));
  const text = { name: "text", base: BigInt(base), bytes, size: bytes.length, permissions: { read: true, write: false, execute: true } };
  return { segments: [text], entry: BigInt(base), symbols: [] };
}

describe.runIf(requireTools("cc", "make"))("optimisation tiers from an execution profile", () => {
  let dir = "";
  let modulePath = "";
  const env = () => ({ RECOMP_CACHE_DIR: join(dir, "objcache") });
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "recomp-tiers-"));
    modulePath = (await liftModule({ image: image(), mode: "decode", outDir: join(dir, "lift") })).modulePath;
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function buildAndRun(out: string, profileFile?: string) {
    const profile = profileFile === undefined ? undefined : parseExecutionProfile(await readFile(profileFile, "utf8"), profileFile);
    const emitted = await emitProject({ moduleJsonPath: modulePath, outDir: out, personality: "linux", profile });
    await execa("make", ["-s", "-C", out], { env: env() });
    const run = await execa(join(out, emitted.executable), [], { reject: false });
    return { stderr: run.stderr, exitCode: run.exitCode };
  }

  it("writes the functions a run called, with their calls, the same bytes twice", async () => {
    const out = join(dir, "profiling");
    await emitProject({ moduleJsonPath: modulePath, outDir: out, personality: "linux" });
    await execa("make", ["-s", "-C", out, "recomp-title-profile"], { env: env() });
    const profiles: string[] = [];
    for (const name of ["p1.txt", "p2.txt"]) {
      const run = await execa(join(out, "recomp-title-profile"), [], { reject: false, env: { RECOMP_PROFILE_OUT: join(dir, name) } });
      expect({ stderr: run.stderr, exitCode: run.exitCode }).toEqual({ stderr: fault, exitCode: 3 });
      profiles.push(await readFile(join(dir, name), "utf8"));
    }
    expect(profiles[0]).toBe(`${executionProfileHeader}\n0x40000 1\n0x40018 1\n`);
    expect(profiles[1]).toBe(profiles[0]);
    const unset = await execa(join(out, "recomp-title-profile"), [], { reject: false });
    expect(unset.exitCode).toBe(2);
    expect(unset.stderr).toContain("set RECOMP_PROFILE_OUT");
  }, 120_000);

  it("puts what the profile never saw run in cold files at $(COLDOPT), and runs as the one-tier build does", async () => {
    const oneTier = await buildAndRun(join(dir, "one-tier"));
    expect(oneTier).toEqual({ stderr: fault, exitCode: 3 });
    // Only the entry ran: leaf (which faults) and never are cold.
    await writeFile(join(dir, "entry-only.txt"), `${executionProfileHeader}\n0x40000 1\n`);
    const out = join(dir, "tiered");
    expect(await buildAndRun(out, join(dir, "entry-only.txt"))).toEqual(oneTier);
    const guest = (await readdir(join(out, "guest"))).filter((name) => name.startsWith("u_") && name.endsWith(".c")).sort();
    const texts = await Promise.all(guest.map(async (name) => [name, await readFile(join(out, "guest", name), "utf8")] as const));
    const definedIn = (ident: string) => texts.filter(([, text]) => text.includes(definitionOf(ident))).map(([name]) => name);
    const cold = guest.filter((name) => name.endsWith(".cold.c"));
    expect(definedIn("f_40000")).toEqual(guest.filter((name) => !name.endsWith(".cold.c")));
    expect([...definedIn("f_40018"), ...definedIn("f_40024")].sort()).toEqual(cold);
    const makefile = await readFile(join(out, "Makefile"), "utf8");
    for (const [name, text] of texts) {
      const tier = name.endsWith(".cold.c") ? "$(COLDOPT)" : "$(GUESTOPT) $(HOTFLAGS)";
      expect(text.includes("#define RT_COLD_UNIT 1")).toBe(tier === "$(COLDOPT)");
      expect(makefile).toContain(`$(OBJCACHE) $@ guest/${name} $(CC) $(CFLAGS) $(FPFLAGS) -std=c99 ${tier} $(GUESTFLAGS)`);
    }
    // Emitted again without the profile: one tier, and the cold file and its object are gone.
    await buildAndRun(out);
    expect((await readdir(join(out, "guest"))).filter((name) => name.includes(".cold."))).toEqual([]);
  }, 120_000);

  it("rejects a malformed profile and one of another program (exit 2), and warns of entries this lift lacks", async () => {
    await writeFile(join(dir, "bad.txt"), `${executionProfileHeader}\n0x40000 one\n`);
    await writeFile(join(dir, "other.txt"), `${executionProfileHeader}\n0x9000 3\n`);
    await writeFile(join(dir, "stale.txt"), `${executionProfileHeader}\n0x40000 1\n0x40004 2\n`);
    const emit = async (profile: string) => {
      const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
      try {
        const args = ["emit", "--module", modulePath, "--personality", "linux", "--out", join(dir, "cli"), "--profile", join(dir, profile)];
        const code = await main(["node", "recomp", ...args]);
        return { code, stderr: stderr.mock.calls.map((call) => String(call[0])).join("") };
      } finally {
        stderr.mockRestore();
      }
    };
    expect(await emit("bad.txt")).toMatchObject({ code: 2, stderr: expect.stringContaining("bad.txt:2: expected") as unknown });
    expect(await emit("other.txt")).toMatchObject({ code: 2, stderr: expect.stringContaining("none of its 1 functions") as unknown });
    const stale = await emit("stale.txt");
    expect(stale.code).toBe(0);
    expect(stale.stderr).toContain("1 of its 2 functions are not functions of this module (first: 0x40004, line 3)");
  }, 120_000);
});
