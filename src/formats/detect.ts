// formats: identify an input file by its content (magic numbers), never by its extension.
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import type { ProvenanceFormat } from "../config/provenance.js";

/** What content detection can say about a file. `nca_candidate`: an NCA is encrypted, so only
 * its size and the absence of every other magic can be checked without the user's header_key. */
export type DetectedFormat = ProvenanceFormat | "hfs0" | "nca_candidate" | "unknown";

const headLength = 0x1200;
/** Keysets are small text files; anything larger is not one. */
const keysetMaxBytes = 4 << 20;
/** A lifted module JSON is parsed to be recognised; past this size it is only sniffed. */
const liftedJsonParseLimit = 64 << 20;
const ncaHeaderSize = 0xc00;

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  if (offset + length > bytes.length) return "";
  return Buffer.from(bytes.subarray(offset, offset + length)).toString("latin1");
}

const keysetLine = /^\s*[A-Za-z0-9_]+\s*=\s*([0-9a-fA-F]{32}|[0-9a-fA-F]{64})\s*$/;

export function looksLikeKeyset(text: string): boolean {
  let keys = 0;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/[#;].*$/, "").trim();
    if (line === "") continue;
    if (!keysetLine.test(line)) return false;
    keys += 1;
  }
  return keys > 0;
}

/** Detects a format from the first bytes of a file (and, for text formats, its whole text). */
export function detectFromHead(head: Uint8Array, fileSize: number, wholeText?: string): DetectedFormat {
  if (ascii(head, 0x10, 4) === "NRO0") return "nro0";
  if (ascii(head, 0, 4) === "NSO0") return "nso0";
  if (ascii(head, 0, 4) === "PFS0") return "exefs";
  if (ascii(head, 0, 4) === "HFS0") return "hfs0";
  if (ascii(head, 0, 4) === "META") return "npdm";
  if (ascii(head, 0, 4) === "NRR0") return "nrr0";
  if (ascii(head, 0x100, 4) === "HEAD" || ascii(head, 0x1100, 4) === "HEAD") return "xci";
  if (ascii(head, 4, 4) === "ftyp") return "video_mp4";
  if (wholeText !== undefined) {
    if (looksLikeKeyset(wholeText)) return "keyset";
    if (looksLikeLiftedJson(wholeText)) return "lifted_json";
  }
  if (fileSize >= ncaHeaderSize) return "nca_candidate";
  return "unknown";
}

function looksLikeLiftedJson(text: string): boolean {
  if (!text.trimStart().startsWith("{")) return false;
  try {
    const value = JSON.parse(text) as unknown;
    // The prior art's files may leave out "segments" (docs/ir.md); both formats have arch and functions.
    return typeof value === "object" && value !== null && "arch" in value && "functions" in value;
  } catch {
    return false;
  }
}

function isProbablyText(bytes: Uint8Array): boolean {
  return !bytes.includes(0);
}

/**
 * Synchronous: a no-op re-run detects every provenance input's format, and each asynchronous call (open, stat,
 * read, close) waited for a round trip through libuv's thread pool that cost more than the call (issue 11).
 */
export function detectFormat(path: string): DetectedFormat {
  const fd = openSync(path, "r");
  try {
    const { size } = fstatSync(fd);
    const head = new Uint8Array(Math.min(headLength, size));
    readSync(fd, head, 0, head.length, 0);
    let wholeText: string | undefined;
    const textLimit = head[0] === 0x7b || head.subarray(0, 16).every((b) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09 || b === 0x7b)
      ? liftedJsonParseLimit
      : keysetMaxBytes;
    if (size <= textLimit && isProbablyText(head)) {
      const all = new Uint8Array(size);
      readSync(fd, all, 0, size, 0);
      if (isProbablyText(all)) wholeText = Buffer.from(all).toString("utf8");
    }
    return detectFromHead(head, size, wholeText);
  } finally {
    closeSync(fd);
  }
}

/** Whether content detection agrees with the format a provenance entry declares. */
export function formatMatches(declared: ProvenanceFormat, detected: DetectedFormat): boolean {
  if (declared === detected) return true;
  return declared === "nca" && detected === "nca_candidate";
}
