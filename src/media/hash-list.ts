// media: hash list text: our `list` form, plus the sha256sum and ffmpeg framehash/framemd5 outputs users already have.
import { RecompError } from "../util/errors.js";

export type HashListDialect = "list" | "sha256sum" | "framehash";

export interface ParsedHashList {
  dialect: HashListDialect;
  hashes: string[];
}

const hexHash = /^[0-9a-fA-F]{32,128}$/;

/**
 * Whether `line` is a bare lower-case hash, as `recomp hash-frames`/`hash-audio` write every line: the
 * common case, checked without trimming, splitting or regular expressions (a 150 s clip's two lists hold
 * 11,500 lines); it is what the general rules below make of such a line.
 */
function isBareHash(line: string): boolean {
  const n = line.length;
  if (n < 32 || n > 128) return false;
  for (let i = 0; i < n; i += 1) {
    const c = line.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

/**
 * Reads a hash list. Accepted line forms (blank lines and `#` comments ignored):
 * `HASH`, `INDEX HASH` (the prior art's list), `HASH  NAME` / `HASH *NAME` (sha256sum),
 * and `stream, dts, pts, duration, size, HASH` (ffmpeg framehash/framemd5; stream 0 only).
 */
export function parseHashList(text: string, file: string): ParsedHashList {
  const hashes: string[] = [];
  const badLines: number[] = [];
  let dialect: HashListDialect = "list";
  const indexed: Array<{ index: number; hash: string }> = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (isBareHash(raw)) {
      hashes.push(raw);
      return;
    }
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const csv = line.includes(",") ? line.split(",").map((field) => field.trim()) : [];
    if (csv.length === 6 && hexHash.test(csv[5])) {
      dialect = "framehash";
      if (csv[0] === "0") hashes.push((csv[5]).toLowerCase());
      return;
    }
    const words = line.split(/\s+/);
    const [first, second] = words;
    if (words.length === 1 && hexHash.test(line)) {
      hashes.push(line.toLowerCase());
    } else if (words.length === 2 && /^\d+$/.test(first) && hexHash.test(second)) {
      indexed.push({ index: Number(first), hash: (second).toLowerCase() });
    } else if (words.length >= 2 && hexHash.test(first)) {
      dialect = "sha256sum";
      hashes.push((first).toLowerCase());
    } else {
      badLines.push(i + 1);
    }
  });
  if (badLines.length > 0) {
    throw new RecompError({
      code: "format_invalid",
      message: `${badLines.length} line(s) are not a hash, "index hash", sha256sum or framehash line`,
      location: { file, line: badLines[0] },
      hint: "one hash per line, or `index hash`; `#` starts a comment",
    });
  }
  if (indexed.length > 0) {
    if (hashes.length > 0) {
      throw new RecompError({ code: "format_invalid", message: "the list mixes indexed and plain lines", location: { file }, hint: "use one form per file" });
    }
    indexed.sort((a, b) => a.index - b.index);
    return { dialect, hashes: indexed.map((entry) => entry.hash) };
  }
  return { dialect, hashes };
}

/** Our `list` output: a comment header saying what was hashed, then one hash per line. */
export function formatHashList(header: readonly string[], hashes: readonly string[]): string {
  return [...header.map((line) => `# ${line}`), ...hashes, ""].join("\n");
}
