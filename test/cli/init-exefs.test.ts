// `recomp init` on the demo's generated XCI (scripts/make-demo-xci.ts builds it the same way) and on
// an NSO folder (an ExeFS: main + main.npdm): name, id and version from the NACP / NPDM / CNMT, then
// `recomp automate` with no --config and no reference: exit 0, verdict "no reference", hash lists.
import { copyFile, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse } from "smol-toml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadTomlFile, provenanceSchema } from "../../src/config/index.js";
import { buildNacp } from "../../src/formats/testing/nacp-build.js";
import { recomp } from "../engine/fixture.js";
import { makeNsoFolderFromNro, makeXciFromNro } from "../fixtures/xci-from-nro.js";
import { requireTools } from "../helpers/tools.js";

const demo = resolve(import.meta.dirname, "../../samples/demo");
const initArgs = ["--personality", "demo", "--collected-at", "2026-12-01"];

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "recomp-init-exefs-"));
  await makeXciFromNro(join(demo, "demo.nro"), join(dir, "xci-in"), "0100000000000000");
  await makeNsoFolderFromNro(join(demo, "demo.nro"), join(dir, "exefs"), "0100000000abc000", "recomp demo");
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function titleOf(folder: string) {
  return (await loadTomlFile(join(folder, "provenance.toml"), provenanceSchema, "provenance")).data.title;
}

/** The demo's own input script (it ends by itself), then the loop with no reference. */
async function automateWithoutReference(folder: string): Promise<void> {
  await copyFile(join(demo, "input_script.toml"), join(folder, "input_script.toml"));
  const run = await recomp(folder, ["automate"]);
  expect(run.code, run.stderr).toBe(0);
  expect(run.stderr).toMatch(/^no reference: \d+ stages ran, 0 reused; manifest work\/run-manifest\.json$/m);
  const manifest = JSON.parse(await readFile(join(folder, "work/run-manifest.json"), "utf8")) as { result: { status: string } };
  expect(manifest.result.status).toBe("no_reference");
  for (const file of ["frames.sha256", "audio.sha256"]) expect((await readFile(join(folder, "work/capture", file))).length, file).toBeGreaterThan(0);
}

describe("recomp init on an XCI and on an NSO folder", () => {
  it.runIf(requireTools("cc", "make", "ffmpeg"))("XCI: keys found beside the image, identity from main.npdm and the CNMT, then the loop to a no-reference verdict", async () => {
    const result = await recomp(dir, ["init", "xci-in/game.xci", "--out", "from-xci", ...initArgs]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`note: keys: ${join(dir, "xci-in", "prod.keys")}`);
    const folder = join(dir, "from-xci");
    expect(await titleOf(folder)).toMatchObject({ name: "Application", title_id: "0100000000000000", version: "v0" });
    const automation = parse(await readFile(join(folder, "automation.toml"), "utf8")) as { inputs: Record<string, string>; commands: { run: string[] } };
    expect(automation.inputs).toMatchObject({ mode: "xci", xci: "../xci-in/game.xci", keys: "../xci-in/prod.keys" });
    expect(automation.commands.run.some((arg) => arg.startsWith("RECOMP_SELF_NRO="))).toBe(false);
    await automateWithoutReference(folder);
  });

  it.runIf(requireTools("cc", "make", "ffmpeg"))("NSO folder: identity from main.npdm, homebrew mode with inputs.nso, then the loop to a no-reference verdict", async () => {
    const result = await recomp(dir, ["init", "exefs", "--out", "from-nso", "--json", ...initArgs]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ folder: "from-nso", input: "nso_folder", title: { name: "recomp demo", title_id: "0100000000abc000", version: "v0" } });
    const folder = join(dir, "from-nso");
    const automation = parse(await readFile(join(folder, "automation.toml"), "utf8")) as { inputs: Record<string, unknown> };
    expect(automation.inputs).toMatchObject({ mode: "homebrew", nso: ["../exefs/main"] });
    expect(automation.inputs).not.toHaveProperty("nro");
    await automateWithoutReference(folder);
  });

  it("XCI with a NACP in its control NCA: name and display version from the NACP, keys from --keys", async () => {
    const nacp = buildNacp({ titles: [{ language: "AmericanEnglish", name: "Demo Deluxe", publisher: "recomp" }], displayVersion: "1.2.0", applicationId: "0100000000def000" });
    const xci = await makeXciFromNro(join(demo, "demo.nro"), join(dir, "xci-nacp"), "0100000000def000", nacp);
    const result = await recomp(dir, ["init", xci.xci, "--keys", xci.keys, "--out", "from-nacp", ...initArgs]);
    expect(result.code, result.stderr).toBe(0);
    expect(await titleOf(join(dir, "from-nacp"))).toMatchObject({ name: "Demo Deluxe", title_id: "0100000000def000", version: "1.2.0" });
  });

  it("refuses an NSO folder without main.npdm and an XCI without a keyset, naming the file and the fix, writing nothing", async () => {
    await mkdir(join(dir, "bare"), { recursive: true });
    await copyFile(join(dir, "exefs", "main"), join(dir, "bare", "main"));
    const noNpdm = await recomp(dir, ["init", "bare", "--out", "t1", "--json"]);
    expect(noNpdm.code).toBe(2);
    expect(JSON.parse(noNpdm.stdout)).toMatchObject({ code: "input_missing", file: "bare/main.npdm" });
    await mkdir(join(dir, "lone"), { recursive: true });
    await copyFile(join(dir, "xci-in", "game.xci"), join(dir, "lone", "game.xci"));
    const noKeys = await recomp(dir, ["init", "lone/game.xci", "--out", "t2"], { HOME: join(dir, "home") });
    expect(noKeys.code).toBe(2);
    expect(noKeys.stderr).toContain("--keys FILE");
    const notTitle = await recomp(dir, ["init", "xci-in/prod.keys", "--out", "t3"]);
    expect(notTitle.code).toBe(2);
    expect(notTitle.stderr).toContain("is not an NRO, an NSO folder or an XCI (its content says: keyset)");
    for (const out of ["t1", "t2", "t3"]) await expect(readFile(join(dir, out, "automation.toml"))).rejects.toThrow();
  });
});
