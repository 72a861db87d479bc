// The npm package as a user gets it: `npm pack` ships bin, the bundle, runtime/, the schemas and the
// docs (nothing else), `npm install -g` of the tarball into a fresh prefix works with no network (the
// bundle carries every dependency), and the installed `recomp` runs the demo's whole loop on a copy of
// the demo in another folder. The tarball is packed from the dist/ that `npm test` just built (--ignore-scripts:
// prepack would rebuild dist/ under the other tests' feet).
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { demoDir } from "../../scripts/demo/paths.js";
import { requireTools } from "../helpers/tools.js";

const run = promisify(execFile);
const repoRoot = resolve(import.meta.dirname, "../..");
const demoFiles = ["automation.toml", "provenance.toml", "title.toml", "demo.nro", "input_script.toml", "reference_video.toml", "capture_video.toml"];

describe.runIf(requireTools("npm", "cc", "make", "ffmpeg"))("the npm package", () => {
  let dir: string | undefined;
  afterAll(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it("packs only what a user needs, installs offline into a fresh prefix, and runs the demo from another folder", async () => {
    dir = await mkdtemp(join(tmpdir(), "recomp-package-"));
    // npm's cache and logs stay in the temp folder too.
    const env = { ...process.env, npm_config_cache: join(dir, "npm-cache"), npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false" };
    const packed = await run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], { cwd: repoRoot, env });
    const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    if (info === undefined) throw new Error("npm pack printed no package");
    const tops = new Set(info.files.map((f) => (f.path.startsWith("dist/") ? f.path.split("/").slice(0, 2).join("/") : f.path.split("/")[0])));
    expect([...tops].sort()).toEqual([".taplo.toml", "README.md", "bin", "dist/bundle", "dist/schemas", "dist/wasm", "docs", "package.json", "runtime"]);
    expect(info.files.map((f) => f.path)).toEqual(expect.arrayContaining(["bin/recomp.js", "dist/bundle/recomp.cjs", "dist/bundle/replay.cjs", "dist/bundle/lock-file.cjs", "dist/wasm/lz4-block.wasm", "dist/schemas/automation.schema.json"]));

    const prefix = join(dir, "prefix");
    await run("npm", ["install", "-g", "--offline", "--prefix", prefix, join(dir, info.filename)], { cwd: dir, env });
    const installed = join(prefix, "bin", "recomp");
    const pkg = JSON.parse(await readFile(join(repoRoot, "package.json"), "utf8")) as { version: string };
    expect((await run(installed, ["--version"], { cwd: dir })).stdout).toBe(`${pkg.version}\n`);

    const title = join(dir, "title");
    await mkdir(title);
    for (const file of demoFiles) await cp(join(demoDir, file), join(title, file));
    await cp(join(demoDir, "reference"), join(title, "reference"), { recursive: true });
    // recomp as installed; the assets go to the user's cache folder, here one in the temp folder.
    let config = await readFile(join(title, "automation.toml"), "utf8");
    for (const [from, to] of [
      ['"node", "../../bin/recomp.js"', JSON.stringify(installed)],
    ] as const) {
      if (!config.includes(from)) throw new Error(`samples/demo/automation.toml has no ${from}`);
      config = config.replace(from, to);
    }
    await writeFile(join(title, "automation.toml"), config);
    const automate = await run(installed, ["automate", "--json"], { cwd: title, env: { ...process.env, CI: "true", XDG_CACHE_HOME: join(dir, "cache") } });
    const summary = JSON.parse(automate.stdout) as { exit_code: number; result: string; manifest: string };
    expect(summary).toMatchObject({ exit_code: 0, result: "passed", manifest: "work/run-manifest.json", assets: join(dir, "cache", "recomp", "demo-assets") });
  });
});
