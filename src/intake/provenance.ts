// intake: provenance.toml verification: every input exists, has the recorded size and SHA-256,
// and its content is of the declared format. Every mismatch is reported, not just the first.
import { stat } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";
import { loadTomlFile } from "../config/toml.js";
import { provenanceSchema, type Provenance, type ProvenanceFormat, type ProvenanceInput } from "../config/provenance.js";
import { detectFormat, formatMatches, type DetectedFormat } from "../formats/detect.js";
import { loadKeyset } from "../formats/keyset.js";
import { RecompError, RecompErrorList, asRecompErrors } from "../util/errors.js";
import { sha256File, type FileDigest } from "../util/hash.js";

export interface VerifiedInput {
  /** Absolute path of the input on this machine (never written into an artifact). */
  absolutePath: string;
  entry: ProvenanceInput;
  detected: DetectedFormat;
}

export interface VerifiedProvenance {
  file: string;
  provenance: Provenance;
  inputs: VerifiedInput[];
}

/** Computes a file's digest; the engine passes a cached one so unchanged inputs are not re-read. */
export type FileHasher = (absolutePath: string) => Promise<FileDigest>;

export async function verifyProvenance(file: string, hasher: FileHasher = sha256File): Promise<VerifiedProvenance> {
  const loaded = await loadTomlFile(file, provenanceSchema, "provenance file");
  const errors: RecompError[] = [];
  const inputs: VerifiedInput[] = [];
  const seen = new Map<string, number>();
  for (const [index, entry] of loaded.data.inputs.entries()) {
    const keyPath = `inputs[${index}]`;
    const absolutePath = isAbsolute(entry.path) ? entry.path : resolve(loaded.dir, entry.path);
    const previous = seen.get(absolutePath);
    if (previous !== undefined) {
      errors.push(
        new RecompError({
          code: "config_invalid",
          message: `"${entry.path}" is listed twice (also as inputs[${previous}])`,
          location: { file, keyPath: `${keyPath}.path` },
          hint: "list each input once",
        }),
      );
      continue;
    }
    seen.set(absolutePath, index);
    const problems = await checkInput(file, keyPath, entry, absolutePath, hasher);
    errors.push(...problems.errors);
    if (problems.detected !== undefined) inputs.push({ absolutePath, entry, detected: problems.detected });
  }
  if (errors.length > 0) throw new RecompErrorList(errors);
  return { file, provenance: loaded.data, inputs };
}

async function checkInput(
  file: string,
  keyPath: string,
  entry: ProvenanceInput,
  absolutePath: string,
  hasher: FileHasher,
): Promise<{ errors: RecompError[]; detected?: DetectedFormat }> {
  const at = (key: string) => ({ file, keyPath: `${keyPath}.${key}` });
  try {
    const info = await stat(absolutePath);
    if (!info.isFile()) {
      return { errors: [new RecompError({ code: "input_missing", message: `"${entry.path}" is not a regular file`, location: at("path") })] };
    }
  } catch {
    return {
      errors: [
        new RecompError({
          code: "input_missing",
          message: `input "${entry.path}" does not exist`,
          location: at("path"),
          hint: "paths in provenance.toml resolve against the folder of provenance.toml",
        }),
      ],
    };
  }
  const errors: RecompError[] = [];
  const digest = await hasher(absolutePath);
  if (digest.size !== entry.size) {
    errors.push(
      new RecompError({
        code: "input_mismatch",
        message: `"${entry.path}" is ${digest.size} bytes; provenance records ${entry.size}`,
        location: at("size"),
        hint: "the file changed since it was recorded: restore the original or record the new one with `recomp provenance init`",
      }),
    );
  }
  if (digest.sha256 !== entry.sha256.toLowerCase()) {
    errors.push(
      new RecompError({
        code: "input_mismatch",
        message: `"${entry.path}" has SHA-256 ${digest.sha256}; provenance records ${entry.sha256.toLowerCase()}`,
        location: at("sha256"),
        hint: "the file changed since it was recorded: restore the original or record the new one with `recomp provenance init`",
      }),
    );
  }
  const detected = detectFormat(absolutePath);
  if (!formatMatches(entry.format, detected) && entry.format === "keyset") {
    // A keyset is text: its parser names the line that is wrong, as `recomp inspect` does.
    const lineErrors = await loadKeyset(absolutePath).then(
      () => [],
      (error: unknown) => asRecompErrors(error),
    );
    if (lineErrors.length > 0) {
      errors.push(...lineErrors);
      return { errors, detected };
    }
  }
  if (!formatMatches(entry.format, detected)) {
    errors.push(
      new RecompError({
        code: "format_invalid",
        message: `"${entry.path}" is declared as ${entry.format} but its content ${describeDetected(detected)}`,
        location: at("format"),
        hint: detected === "unknown" || detected === "nca_candidate" || detected === "hfs0"
          ? "check that this is the right file"
          : `if the file is right, set format = "${detected}"`,
      }),
    );
  }
  return { errors, detected };
}

function describeDetected(detected: DetectedFormat): string {
  switch (detected) {
    case "unknown":
      return "matches no known format";
    case "nca_candidate":
      return "has none of the expected magic numbers";
    default:
      return `is ${detected}`;
  }
}

export function findProvenanceInput(verified: VerifiedProvenance, absolutePath: string): VerifiedInput | undefined {
  const wanted = resolve(absolutePath);
  return verified.inputs.find((input) => input.absolutePath === wanted);
}

/** Throws a located error unless `absolutePath` is listed in provenance (used by intake stages). */
export function requireProvenanceInput(
  verified: VerifiedProvenance,
  absolutePath: string,
  what: string,
  expected?: readonly ProvenanceFormat[],
): VerifiedInput {
  const input = findProvenanceInput(verified, absolutePath);
  if (input === undefined) {
    throw new RecompError({
      code: "input_mismatch",
      message: `${what} "${absolutePath}" is not listed in provenance`,
      location: { file: verified.file },
      hint: "add an [[inputs]] entry for it (recomp provenance init writes one)",
    });
  }
  if (expected !== undefined && !expected.includes(input.entry.format)) {
    throw new RecompError({
      code: "format_invalid",
      message: `${what} "${input.entry.path}" is recorded as ${input.entry.format}; expected ${expected.join(" or ")}`,
      location: { file: verified.file },
    });
  }
  return input;
}
