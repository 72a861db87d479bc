// `npm run build` only when its inputs changed since the last build: a content stamp (SHA-256 of
// every source file, path and bytes) in dist/build-inputs.sha256, written by `npm run build` when it succeeds.
// Plain JavaScript so that checking costs no compiler start-up (`npm run demo` starts in about a second).
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const stampFile = join(root, "dist", "build-inputs.sha256");
const inputFolders = ["src", "wasm"];
const inputFiles = ["package.json", "package-lock.json", "tsconfig.json", "tsconfig.build.json", "scripts/bundle.js"];
const outputs = ["dist/bundle/recomp.cjs", "dist/bundle/replay.cjs", "dist/bundle/lock-file.cjs", "dist/wasm/lz4-block.wasm", "dist/wasm/thumb-measure.wasm"];

function filesUnder(folder) {
  const out = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

function inputsDigest() {
  const files = [...inputFolders.flatMap((folder) => filesUnder(join(root, folder))), ...inputFiles.map((file) => join(root, file))];
  const hash = createHash("sha256");
  for (const file of files.map((f) => relative(root, f)).sort()) {
    hash.update(`${file}\0`);
    hash.update(existsSync(join(root, file)) ? readFileSync(join(root, file)) : "missing");
    hash.update("\0");
  }
  return hash.digest("hex");
}

const digest = inputsDigest();
if (process.argv.includes("--stamp")) {
  // The end of `npm run build`: what it just built from.
  writeFileSync(stampFile, `${digest}\n`);
  process.exit(0);
}
const current = outputs.every((file) => existsSync(join(root, file))) && existsSync(stampFile) && readFileSync(stampFile, "utf8").trim() === digest;
if (current) {
  process.stderr.write("build: dist/ is current (sources unchanged since the last build)\n");
} else {
  execFileSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" });
}
