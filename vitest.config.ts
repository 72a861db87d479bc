import { defineConfig } from "vitest/config";

// Tests drive real ffmpeg, compilers and child processes: generous timeouts,
// and forks so a test that changes process state cannot leak into another.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: "forks",
  },
});
