// Tests use the real external tools. In CI a missing tool fails the test; elsewhere the
// test is reported as skipped with the package to install.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

const packages: Record<string, string> = {
  ffmpeg: "ffmpeg",
  chromium: "chromium",
  ffprobe: "ffmpeg",
  cc: "gcc",
  "aarch64-linux-gnu-gcc": "gcc-aarch64-linux-gnu",
  "aarch64-linux-gnu-objdump": "binutils-aarch64-linux-gnu",
  "qemu-aarch64": "qemu-user",
  lz4: "lz4",
  openssl: "openssl",
};

export function hasTool(name: string): boolean {
  try {
    execFileSync("sh", ["-c", 'command -v "$1"', "sh", name], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** True when the test may run; throws in CI when a tool is missing. */
export function requireTools(...names: string[]): boolean {
  const missing = names.filter((name) => !hasTool(name));
  if (missing.length === 0) return true;
  const install = [...new Set(missing.map((name) => packages[name] ?? name))].join(" ");
  const message = `missing tools: ${missing.join(", ")} (apt-get install ${install})`;
  if (process.env.CI === "true") throw new Error(`${message}: CI must have every tool the tests use`);
  console.warn(`${message}: these tests are skipped outside CI`);
  return false;
}

/** True when every file (from a Debian package) exists; throws in CI when one is missing. */
export function requireFiles(...files: { path: string; debianPackage: string }[]): boolean {
  const missing = files.filter((file) => !existsSync(file.path));
  if (missing.length === 0) return true;
  const message = `missing files: ${missing.map((file) => file.path).join(", ")} (apt-get install ${[...new Set(missing.map((file) => file.debianPackage))].join(" ")})`;
  if (process.env.CI === "true") throw new Error(`${message}: CI must have every file the tests use`);
  console.warn(`${message}: these tests are skipped outside CI`);
  return false;
}
