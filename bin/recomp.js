#!/usr/bin/env node
// Launcher. `npm run build` bundles the CLI and its npm dependencies into one CommonJS file,
// dist/bundle/recomp.cjs (one file starts about twice as fast as some 300 modules). Three things make
// its start cheaper still (docs/benchmarks.md, issue 11):
// - The bundle is plain ASCII (esbuild --minify-whitespace drops the comments, its only non-ASCII
//   text), read as Latin-1: no UTF-8 decoding of 2 MB, which Node's module loaders always do.
// - It is compiled through V8's code cache (Node 20 has no compile cache of its own). The cache lives
//   in the user's cache folder, like the object cache ($RECOMP_CACHE_DIR, else $XDG_CACHE_HOME/recomp,
//   else ~/.cache/recomp; RECOMP_CACHE_DIR=off turns both off): one file per bundle, Node version and
//   command, named by the SHA-256 of the three. The bundle is known by its (size, mtime, ctime, inode), as
//   the engine's digest cache knows a file: any rewrite gives it a new ctime, and hashing its 1.8 MB on
//   every start cost more than a no-op re-run's checks of its own inputs (issue 11). V8 checks little of what it is given (not even a
//   checksum in release builds), so each file starts with the SHA-256 of its V8 data: a damaged file,
//   or one V8 rejects, is ignored and replaced; a cache that cannot be read or written only costs
//   the compile.
// - It is CommonJS (bin/package.json): an ES module as Node's entry point loads and starts Node's ESM loader
//   first, some 10 ms of a no-op re-run's 0.4 s (issue 11).
"use strict";
const { isAscii } = require("node:buffer");
const { createHash } = require("node:crypto");
const { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } = require("node:fs");
const { createRequire } = require("node:module");
const { homedir } = require("node:os");
const { dirname, join } = require("node:path");
const { pathToFileURL } = require("node:url");
const { Script } = require("node:vm");

const bundleFolder = join(__dirname, "..", "dist", "bundle");
// A no-op `recomp automate` re-run whose record still holds is replayed without loading the CLI (src/engine/memo,
// docs/engine.md "Replayed no-op runs"); anything else, or a replay that cannot go ahead, runs the CLI.
const command = process.argv.slice(2).find((arg) => !arg.startsWith("-")) ?? "";
if (command === "automate") {
  replayNoOp(process.argv)
    .catch(() => undefined)
    .then((exitCode) => (exitCode === undefined ? runCli() : (process.exitCode = exitCode)));
} else {
  runCli();
}

/** The replay's answer; undefined (the CLI runs) when it cannot give one, or its file is missing or broken. */
async function replayNoOp(argv) {
  return require(join(bundleFolder, "replay.cjs")).replayNoOp(argv);
}

function runCli() {
  const bundle = join(bundleFolder, "recomp.cjs");
  // Read and identified through one descriptor: the identity is the file's whose bytes are compiled.
  const descriptor = openSync(bundle, "r");
  const identity = fstatSync(descriptor, { bigint: true });
  const bytes = readFileSync(descriptor);
  closeSync(descriptor);
  const bundleKey = [identity.size, identity.mtimeNs, identity.ctimeNs, identity.ino].join(":");
  // By command: each one's cache holds the functions it ran. Only a command's shape of name counts (a mistyped
  // path must not add a file).
  const cacheFile = codeCacheFile(bundleKey, /^[a-z][a-z-]{0,30}$/.test(command) ? command : "");
  const cached = cacheFile === undefined ? undefined : readCodeCache(cacheFile);
  // Wrapped as Node wraps a CommonJS module, plus the bundle's URL (import.meta.url in the sources). The
  // wrapper's own line is line -1: stack traces give the bundle's line numbers.
  const script = new Script(
    `(function (exports, require, module, __filename, __dirname, recompBundleUrl) {\n${isAscii(bytes) ? bytes.toString("latin1") : bytes.toString("utf8")}\n})`,
    { filename: bundle, lineOffset: -1, cachedData: cached },
  );
  const bundleModule = { exports: {} };
  script.runInThisContext()(bundleModule.exports, createRequire(bundle), bundleModule, bundle, dirname(bundle), pathToFileURL(bundle).href);
  void bundleModule.exports.main(process.argv).then((exitCode) => {
    process.exitCode = exitCode;
    // Written after the command ran, so that the functions it compiled on the way are in the cache too.
    if (cacheFile !== undefined && (cached === undefined || script.cachedDataRejected === true)) writeCodeCache(cacheFile, script.createCachedData());
  });
}

function sha256(data) {
  return createHash("sha256").update(data).digest();
}

/** The cache file for this bundle, Node and command; undefined when caching is off or there is no cache folder. */
function codeCacheFile(bundleKey, command) {
  const env = process.env;
  if (env.RECOMP_CACHE_DIR === "off") return undefined;
  let root = env.RECOMP_CACHE_DIR || (env.XDG_CACHE_HOME ? join(env.XDG_CACHE_HOME, "recomp") : undefined);
  try {
    root ??= join(homedir(), ".cache", "recomp");
  } catch {
    return undefined;
  }
  const key = sha256(`${bundleKey}\0${process.version}\0${process.arch}\0${command}`).toString("hex");
  return join(root, "code", `${key}.v8`);
}

function readCodeCache(file) {
  try {
    const data = readFileSync(file);
    const payload = data.subarray(32);
    return data.length > 32 && sha256(payload).equals(data.subarray(0, 32)) ? payload : undefined;
  } catch {
    return undefined;
  }
}

/** Written whole (a temporary renamed into place); cache files unused for a week (and temporaries) are removed. */
function writeCodeCache(file, payload) {
  const folder = dirname(file);
  const temporary = `${file}.${process.pid}.tmp`;
  // Over a file-size limit (ulimit -f) the write fails with EFBIG instead of SIGXFSZ ending the process.
  const ignore = () => undefined;
  process.on("SIGXFSZ", ignore);
  try {
    mkdirSync(folder, { recursive: true });
    writeFileSync(temporary, Buffer.concat([sha256(payload), payload]));
    renameSync(temporary, file);
    const weekAgo = Date.now() - 7 * 24 * 3600 * 1000;
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (/^[0-9a-f]{64}\.v8(\.\d+\.tmp)?$/.test(name) && path !== file && statSync(path).atimeMs < weekAgo) rmSync(path, { force: true });
    }
  } catch {
    rmSync(temporary, { force: true });
  } finally {
    process.off("SIGXFSZ", ignore);
  }
}
