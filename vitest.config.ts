import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig } from "vitest/config";

// Tests drive real ffmpeg, compilers and child processes: generous timeouts,
// and forks so a test that changes process state cannot leak into another.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: "forks",
    // Generated Makefiles cache objects (runtime/build/objcache.sh): tests use a temp cache, never the user's.
    env: { RECOMP_CACHE_DIR: join(tmpdir(), "recomp-test-objcache"), RECOMP_CACHE_MAX_MB: "1024" },
  },
});
