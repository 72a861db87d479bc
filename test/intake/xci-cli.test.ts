// `recomp intake xci` as a user runs it: exit codes, no key material in any output, and an
// external tool that is not installed is an error, never a fallback to the native reader.
import { access, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeProdKeys } from "../../src/formats/testing/xci-fixture.js";
import { extractNcaArgv, parseToolBanner } from "../../src/intake/xci-tools.js";
import { fakeKeyValues, makeXciCase, rerecordProvenance, type XciCase } from "../fixtures/xci-case.js";

let made: XciCase;
beforeAll(async () => {
  made = await makeXciCase();
});
afterAll(async () => {
  await rm(made.dir, { recursive: true, force: true });
});

const keyHex = fakeKeyValues();

async function recomp(args: string[], env: Record<string, string> = {}) {
  const result = await execa(process.execPath, ["--import", "tsx", "test/helpers/run-cli.ts", "intake", "xci", ...args], { reject: false, env, extendEnv: true });
  const output = `${result.stdout}\n${result.stderr}`.toLowerCase();
  for (const value of keyHex) expect(output).not.toContain(value.toLowerCase());
  return result;
}

const base = (): string[] => ["--xci", made.xci, "--keys", made.keys, "--provenance", made.provenance, "--out-dir", made.outDir, "--assets-dir", made.assetsDir];

describe("recomp intake xci", () => {
  it("exits 2 naming hactool when it is not installed, and writes nothing", async () => {
    const result = await recomp([...base(), "--tool", "hactool"], { PATH: dirname(process.execPath) });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('error[tool_missing]: tools.xci_tool: hactool was chosen as the XCI tool but no executable "hactool" is on PATH');
    expect(result.stderr).toContain('choose xci_tool = "native"; recomp does not fall back on its own');
    await expect(access(made.outDir)).rejects.toThrow();
  });

  it("exits 2 when --tool-path is not hactoolnet", async () => {
    const missing = await recomp([...base(), "--tool", "hactoolnet", "--tool-path", join(made.dir, "no-such-tool")]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain(`hactoolnet was chosen as the XCI tool but "${join(made.dir, "no-such-tool")}" is not an executable file`);
    const impostor = await recomp([...base(), "--tool", "hactoolnet", "--tool-path", "/bin/true"]);
    expect(impostor.exitCode).toBe(2);
    expect(impostor.stderr).toContain("/bin/true did not identify itself as hactoolnet when run without arguments");
    await expect(access(made.outDir)).rejects.toThrow();
  });

  it("extracts with the native reader and prints the manifest with --json", async () => {
    const result = await recomp([...base(), "--json"]);
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    const manifest = JSON.parse(result.stdout) as { program: { exefs: string[] }; tool: { name: string } };
    expect(manifest.program?.exefs).toEqual(["main", "main.npdm", "subsdk0"]);
    expect(manifest.tool?.name).toBe("recomp");
    // execa strips the final newline of stdout.
    expect(await readFile(join(made.outDir, "manifest.json"), "utf8")).toBe(`${result.stdout}\n`);
  });

  it("exits 2 on a wrong key without printing it", async () => {
    await writeFile(made.keys, fakeProdKeys().replace(/^header_key = .*$/m, `header_key = ${"77".repeat(32)}`));
    await rerecordProvenance(made);
    const result = await recomp(base());
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/error\[input_mismatch\]: .*prod\.keys: header_key: .*does not decrypt this NCA header/);
    expect(result.stderr).not.toContain("77777777");
  });
});

describe("external tool invocation", () => {
  it("builds the argv hactool and hactoolnet expect", () => {
    const args = { keys: "/k/prod.keys", titleKeys: "/k/title.keys", nca: "/w/p.nca", exefsDir: "/o/exefs", romfsDir: "/a/romfs" };
    // hactool has no title-keys option: it reads them from the private $HOME/.switch recomp gives it.
    expect(extractNcaArgv("hactool", args)).toEqual(["-k", "/k/prod.keys", "-t", "nca", "--exefsdir=/o/exefs", "--romfsdir=/a/romfs", "/w/p.nca"]);
    expect(extractNcaArgv("hactoolnet", args)).toEqual(["-k", "/k/prod.keys", "--titlekeys", "/k/title.keys", "-t", "nca", "--exefsdir", "/o/exefs", "--romfsdir", "/a/romfs", "/w/p.nca"]);
  });

  it("reads the version banner a tool prints without arguments", () => {
    // As hactool 1d64a83 prints it (usage names the path it was run by).
    const hactool = "hactool (c) SciresM.\nBuilt: 18:27:52 Nov 30 2026\n\nUsage: /opt/hactool/hactool [options...] <file>\nOptions:\n  -i, --info         Show file info.\n";
    expect(parseToolBanner("hactool", hactool)).toBe("hactool (c) SciresM. | Built: 18:27:52 Nov 30 2026");
    expect(parseToolBanner("hactoolnet", "Usage: hactoolnet.exe [options...] <path>\nOptions:\n")).toBe("hactoolnet (states no version; pinned by its SHA-256)");
    expect(parseToolBanner("hactool", "Usage: something-else <file>\n")).toBeUndefined();
    expect(parseToolBanner("hactoolnet", "")).toBeUndefined();
  });
});
