// util: the user's cache folder (XDG base directories): $XDG_CACHE_HOME when set, else ~/.cache.
// Config paths may start with "$XDG_CACHE_HOME/" so a shared config (the demo's) names a folder
// outside every clone without naming this machine's home.
import { homedir } from "node:os";
import { join } from "node:path";

export const cacheHomeToken = "$XDG_CACHE_HOME";

export function cacheHome(env: NodeJS.ProcessEnv = process.env): string {
  const set = env.XDG_CACHE_HOME;
  return set !== undefined && set !== "" ? set : join(homedir(), ".cache");
}

/** `value` with a leading "$XDG_CACHE_HOME" replaced by the cache folder; other values unchanged. */
export function expandCacheHome(value: string, env: NodeJS.ProcessEnv = process.env): string {
  if (value === cacheHomeToken) return cacheHome(env);
  return value.startsWith(`${cacheHomeToken}/`) ? join(cacheHome(env), value.slice(cacheHomeToken.length + 1)) : value;
}
