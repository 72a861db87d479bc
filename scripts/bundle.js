// `npm run bundle`: the CLI and its npm dependencies in one CommonJS file, dist/bundle/recomp.cjs (and the no-op
// replay in dist/bundle/replay.cjs), which
// bin/recomp.js compiles through V8's code cache (docs/benchmarks.md, issue 11). Plain text, whitespace
// minified (so plain ASCII), import.meta.url given by the launcher as recompBundleUrl.
import { readFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { build } from "esbuild";

/**
 * commander requires node:child_process at its top only to spawn executable subcommands, which recomp never
 * has; loading it (with net and dgram) cost some 10 ms of every start. Required on first use instead.
 */
const lazyCommanderChildProcess = {
  name: "lazy-commander-child-process",
  setup(bundler) {
    bundler.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      const eager = "const childProcess = require('node:child_process');";
      // A commander that requires it otherwise must fail the build, not silently stay eager.
      if (source.split(eager).length !== 2 || /childProcess\.(?!spawn\()/.test(source)) {
        throw new Error(`${args.path}: expected one "${eager}" and only childProcess.spawn calls; update scripts/bundle.js`);
      }
      const lazy = "const childProcess = { spawn: (...spawnArgs) => require('node:child_process').spawn(...spawnArgs) };";
      return { contents: source.replace(eager, lazy), loader: "js" };
    });
  },
};

/**
 * zod's namespace object re-exports every one of its locales (some 300 KB of the bundle, each evaluated at
 * start); recomp's messages are English, from the en locale that zod's schemas import themselves. So
 * `z.locales` holds en only. The module is named by its path in the repository: no machine's path in the bundle.
 */
const englishOnlyZodLocales = {
  name: "english-only-zod-locales",
  setup(bundler) {
    bundler.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => {
      if (!/[\\/]node_modules[\\/]zod[\\/]v4[\\/]/.test(args.importer)) return undefined;
      return { path: relative(process.cwd(), join(dirname(args.importer), "..", "locales", "index.js")), namespace: "english-only-zod-locales" };
    });
    bundler.onLoad({ filter: /.*/, namespace: "english-only-zod-locales" }, (args) => ({
      contents: 'export { default as en } from "./en.js";',
      loader: "js",
      resolveDir: dirname(resolve(args.path)),
    }));
  },
};

const common = {
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  minifyWhitespace: true,
  logLevel: "warning",
  define: { "import.meta.url": "recompBundleUrl" },
};

await build({
  ...common,
  entryPoints: ["dist/cli/main.js"],
  outfile: "dist/bundle/recomp.cjs",
  plugins: [lazyCommanderChildProcess, englishOnlyZodLocales],
});

/**
 * The no-op replay (src/engine/memo/replay.ts), which bin/recomp.js tries before it loads the CLI, is kept
 * small so that a replayed re-run compiles little more than Node itself: the lock file's schema (and with
 * it zod), which it needs only when it meets another run's lock, is a file of its own beside it.
 */
const lockFileApart = {
  name: "lock-file-apart",
  setup(bundler) {
    bundler.onResolve({ filter: /^\.\/lock-file\.js$/ }, () => ({ path: "./lock-file.cjs", external: true }));
  },
};
await build({ ...common, entryPoints: ["dist/engine/lock-file.js"], outfile: "dist/bundle/lock-file.cjs", plugins: [englishOnlyZodLocales] });
await build({ ...common, entryPoints: ["dist/engine/memo/replay.js"], outfile: "dist/bundle/replay.cjs", plugins: [lockFileApart] });
