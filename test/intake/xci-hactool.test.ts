// The hactool path of XCI intake against a stand-in that behaves as the real hactool 1d64a83 does
// (checked by hand with that build, see docs/xci.md): banner and usage on stdout with exit 1 when
// run bare; no title-keys option (title keys come from $HOME/.switch/title.keys); a section that
// fails its hash check reported as `Error: section N is corrupted!` on stderr, skipped, exit 0.
import { chmod, cp, mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { intakeXci, type IntakeXciOptions } from "../../src/intake/xci-intake.js";
import { asRecompErrors } from "../../src/util/errors.js";
import { fixtureProgram, useXciCases, type XciCase } from "../fixtures/xci-case.js";

const newCase = useXciCases();

/**
 * The stand-in logs its argv and the key files its HOME offers, then either copies a native
 * intake's ExeFS and RomFS into the folders it was given (`ok`) or reports section 1 corrupted.
 */
const standIn = `#!/bin/sh
if [ $# -eq 0 ]; then
  printf 'hactool (c) SciresM.\\nBuilt: 18:27:52 Nov 30 2026\\n\\nUsage: %s [options...] <file>\\nOptions:\\n' "$0"
  exit 1
fi
printf '%s\\n' "$@" > "$STANDIN_LOG/argv"
ls "$HOME/.switch" > "$STANDIN_LOG/home"
for arg in "$@"; do
  case "$arg" in
    --titlekeys*) echo "$0: unrecognized option '$arg'" >&2; exit 1 ;;
  esac
done
echo "Verifying section 0..."
if [ "$STANDIN_MODE" = corrupt ]; then
  echo "Error: section 1 is corrupted!" >&2
fi
for arg in "$@"; do
  case "$arg" in
    --exefsdir=*) mkdir -p "\${arg#--exefsdir=}" && cp -R "$STANDIN_SRC/exefs/." "\${arg#--exefsdir=}" ;;
    --romfsdir=*) [ "$STANDIN_MODE" = corrupt ] || { mkdir -p "\${arg#--romfsdir=}" && cp -R "$STANDIN_SRC/romfs/." "\${arg#--romfsdir=}"; } ;;
  esac
done
echo "Done!"
exit 0
`;

interface StandIn {
  tool: string;
  log: string;
}

/** A native intake of `made` (the source the stand-in copies), then the stand-in in `made.dir`. */
async function prepare(made: XciCase, options: Partial<IntakeXciOptions>, mode: "ok" | "corrupt"): Promise<StandIn> {
  await intakeXci({ ...base(made), ...options });
  const src = join(made.dir, "native");
  await mkdir(src);
  await cp(join(made.outDir, "exefs"), join(src, "exefs"), { recursive: true });
  await cp(join(made.assetsDir, "romfs"), join(src, "romfs"), { recursive: true });
  const tool = join(made.dir, "hactool");
  await writeFile(tool, standIn);
  await chmod(tool, 0o755);
  const log = join(made.dir, "log");
  await mkdir(log);
  Object.assign(process.env, { STANDIN_LOG: log, STANDIN_SRC: src, STANDIN_MODE: mode });
  return { tool, log };
}

const base = (made: XciCase): IntakeXciOptions => ({ xci: made.xci, keys: made.keys, provenance: made.provenance, outDir: made.outDir, assetsDir: made.assetsDir });

describe("XCI intake through hactool", () => {
  it("passes title keys through a private HOME, never as an option, and records the real banner", async () => {
    const made = await newCase({ programs: [fixtureProgram({ rightsId: "0100000000ab00000000000000000001" })] });
    const options = { titleKeys: made.titleKeys };
    const { tool, log } = await prepare(made, options, "ok");
    const native = await readdir(join(made.outDir, "exefs"));
    const { manifest } = await intakeXci({ ...base(made), ...options, tool: "hactool", toolPath: tool });
    const argv = (await readFile(join(log, "argv"), "utf8")).trim().split("\n");
    // The ExeFS and RomFS folders are staging folders whose names recomp picks.
    expect(argv.slice(0, 4)).toEqual(["-k", made.keys, "-t", "nca"]);
    expect(argv.slice(4)).toEqual([expect.stringMatching(/^--exefsdir=.*\/exefs$/), expect.stringMatching(/^--romfsdir=.*\/romfs$/), expect.stringMatching(/\.nca$/)]);
    expect(await readFile(join(log, "home"), "utf8")).toBe("prod.keys\ntitle.keys\n");
    expect(manifest.tool).toMatchObject({ name: "hactool", version: "hactool (c) SciresM. | Built: 18:27:52 Nov 30 2026" });
    expect(await readdir(join(made.outDir, "exefs"))).toEqual(native);
  });

  it("fails (exit 2) when hactool skips a section it calls corrupted and still exits 0", async () => {
    const made = await newCase();
    const { tool } = await prepare(made, {}, "corrupt");
    const error = await intakeXci({ ...base(made), tool: "hactool", toolPath: tool }).then(
      () => undefined,
      (thrown: unknown) => asRecompErrors(thrown)[0],
    );
    expect(error?.code).toBe("format_invalid");
    expect(error?.exitCode).toBe(2);
    expect(error?.message).toBe(`hactool exited 0 without extracting everything: Error: section 1 is corrupted!; RomFS folder not written`);
    expect(error?.location?.file).toBe(made.programNcas[0]);
  });
});
