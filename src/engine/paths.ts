// engine: resolving config paths (relative to the naming file's folder) and showing them relative again.
import { isAbsolute, relative, resolve, sep } from "node:path";
import { expandCacheHome } from "../util/cache-home.js";
import { RecompError } from "../util/errors.js";

/**
 * Resolves `value` against `baseDir`. A relative path that detours (`a/../b`) or climbs above the
 * filesystem root is refused: it is almost always a typo, and it hides where outputs really go.
 * A leading "$XDG_CACHE_HOME/" is the user's cache folder (util/cache-home).
 */
export function resolveConfigPath(baseDir: string, written: string, file: string, keyPath: string): { path?: string; error?: RecompError } {
  const value = expandCacheHome(written);
  if (isAbsolute(value)) return { path: resolve(value) };
  const segments = value.split(/[\\/]+/).filter((s) => s !== "" && s !== ".");
  let seenNormal = false;
  for (const segment of segments) {
    if (segment === "..") {
      if (seenNormal) {
        return {
          error: new RecompError({
            code: "config_invalid",
            message: `path "${value}" goes into a folder and back out with ".."`,
            location: { file, keyPath },
            hint: `write it without the detour, e.g. "${relative(baseDir, resolve(baseDir, value)).split(sep).join("/") || "."}"`,
          }),
        };
      }
    } else {
      seenNormal = true;
    }
  }
  const ups = segments.findIndex((s) => s !== "..");
  const climbs = ups === -1 ? segments.length : ups;
  const depth = resolve(baseDir).split(sep).filter((s) => s !== "").length;
  if (climbs > depth) {
    return {
      error: new RecompError({
        code: "config_invalid",
        message: `path "${value}" climbs ${climbs} folders above ${baseDir}, past the filesystem root`,
        location: { file, keyPath },
        hint: "remove the extra \"..\" segments or use an absolute path",
      }),
    };
  }
  return { path: resolve(baseDir, value) };
}

/** A path for an artifact: relative to `baseDir` with `/`, or absolute when it lies elsewhere on another root. */
export function displayPath(baseDir: string, absolutePath: string): string {
  const rel = relative(baseDir, absolutePath);
  if (rel === "") return ".";
  if (isAbsolute(rel)) return absolutePath;
  return rel.split(sep).join("/");
}
