// Config paths may start with "$XDG_CACHE_HOME/": the user's cache folder, ~/.cache when the variable is unset or empty.
import { homedir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveConfigPath } from "../../src/engine/paths.js";
import { cacheHome, expandCacheHome } from "../../src/util/cache-home.js";

describe("$XDG_CACHE_HOME in config paths", () => {
  it("is the variable when set, else ~/.cache", () => {
    expect(cacheHome({ XDG_CACHE_HOME: "/srv/cache" })).toBe("/srv/cache");
    expect(cacheHome({ XDG_CACHE_HOME: "" })).toBe(join(homedir(), ".cache"));
    expect(cacheHome({})).toBe(join(homedir(), ".cache"));
  });

  it("is expanded only as the first segment", () => {
    const env = { XDG_CACHE_HOME: "/srv/cache" };
    expect(expandCacheHome("$XDG_CACHE_HOME/recomp/demo-assets", env)).toBe("/srv/cache/recomp/demo-assets");
    expect(expandCacheHome("$XDG_CACHE_HOME", env)).toBe("/srv/cache");
    expect(expandCacheHome("assets/$XDG_CACHE_HOME", env)).toBe("assets/$XDG_CACHE_HOME");
    expect(expandCacheHome("$XDG_CACHE_HOMEX/a", env)).toBe("$XDG_CACHE_HOMEX/a");
  });

  it("resolves in automation.toml paths against the cache folder, not the config folder", () => {
    const result = resolveConfigPath("/srv/title", "$XDG_CACHE_HOME/recomp/demo-assets", "automation.toml", "outputs.assets_dir");
    expect(result.path).toBe(join(cacheHome(), "recomp", "demo-assets"));
  });
});
