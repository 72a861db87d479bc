// util: recomp's folder in the user's cache folder, as bin/recomp.js finds it for the code cache:
// $RECOMP_CACHE_DIR, else $XDG_CACHE_HOME/recomp, else ~/.cache/recomp; RECOMP_CACHE_DIR=off: none.
import { join } from "node:path";
import { cacheHome } from "./cache-home.js";

/** recomp's cache folder, or undefined when caching is off or there is no home folder to put it in. */
export function recompCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.RECOMP_CACHE_DIR === "off") return undefined;
  if (env.RECOMP_CACHE_DIR !== undefined && env.RECOMP_CACHE_DIR !== "") return env.RECOMP_CACHE_DIR;
  try {
    return join(cacheHome(env), "recomp");
  } catch {
    return undefined;
  }
}
