// engine: redaction of logs and manifests. Key material is always redacted; a profile adds more.
// Everything is matched in linear time: key values and the home folder are literal strings, and
// regular expressions (the strict profile, `policy.redaction_patterns`) run on RE2JS, a port of RE2
// that has no backtracking, so no pattern can make a line take exponential time. RE2JS (some 300 KB of
// tables) loads only when a config uses one: most runs never pay for it.
import { homedir } from "node:os";
import { readFile } from "node:fs/promises";
import type { RE2JS } from "re2js";
import { RecompError } from "../util/errors.js";

/** A literal to hide. `bounded`: only where it is not part of a longer word or path component. */
interface Literal {
  text: string;
  bounded: boolean;
}

export type RedactionPattern = { literal: Literal } | { regex: RE2JS };

const replacement = "[redacted]";

function homePatterns(): RedactionPattern[] {
  const home = homedir();
  // "/" or a one-letter home would hide ordinary text.
  return home.length < 3 ? [] : [{ literal: { text: home, bounded: true } }];
}

/** Profiles: what each one redacts besides key material. "homebrew-default" is the prior art's name. */
const profiles: Record<string, () => Promise<RedactionPattern[]>> = {
  none: () => Promise.resolve([]),
  default: () => Promise.resolve(homePatterns()),
  "homebrew-default": () => Promise.resolve(homePatterns()),
  // 128-bit hex tokens: key-sized values of any origin (SHA-256 digests are 256-bit and stay).
  strict: async () => [...homePatterns(), { regex: (await import("re2js")).RE2JS.compile("\\b[0-9a-fA-F]{32}\\b") }],
};

export async function redactionPatternsFor(profile: string | undefined, extra: readonly string[], file: string): Promise<RedactionPattern[]> {
  const name = profile ?? "default";
  const make = profiles[name];
  if (make === undefined) {
    throw new RecompError({
      code: "config_invalid",
      message: `unknown redaction profile "${name}"`,
      location: { file, keyPath: "policy.redaction_profile" },
      hint: `known profiles: ${Object.keys(profiles).sort().join(", ")}`,
    });
  }
  const patterns = await make();
  if (extra.length === 0) return patterns;
  const { RE2JS: re2 } = await import("re2js");
  extra.forEach((source, index) => {
    let regex: RE2JS;
    try {
      regex = re2.compile(source);
    } catch (error) {
      throw new RecompError({
        code: "config_invalid",
        message: `redaction pattern is not an RE2 regular expression: ${(error as Error).message}`,
        location: { file, keyPath: `policy.redaction_patterns[${index}]` },
        hint: "RE2 syntax: no backreferences or lookaround (they cannot be matched in linear time)",
      });
    }
    if (regex.matcher("").find()) {
      throw new RecompError({
        code: "config_invalid",
        message: `redaction pattern "${source}" matches the empty string: it would redact between every character`,
        location: { file, keyPath: `policy.redaction_patterns[${index}]` },
        hint: 'use "+" instead of "*" (e.g. "secret-[0-9]+")',
      });
    }
    patterns.push({ regex });
  });
  return patterns;
}

/** Every key value in a keyset file, so that no log or manifest ever shows one. */
export async function keyMaterialPatterns(keysFile: string | undefined): Promise<RedactionPattern[]> {
  if (keysFile === undefined) return [];
  const text = await readFile(keysFile, "utf8").catch(() => "");
  const values = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    const match = /=\s*([0-9a-fA-F]{16,})\s*$/.exec(line.replace(/[#;].*$/, ""));
    if (match?.[1] !== undefined) values.add(match[1].toLowerCase()).add(match[1].toUpperCase());
  }
  return [...values].sort().map((text) => ({ literal: { text, bounded: false } }));
}

const wordChar = /[\p{L}\p{N}_.-]/u;

function replaceLiteral(text: string, { text: needle, bounded }: Literal): string {
  let out = "";
  let from = 0;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) {
    if (at < from) continue;
    const end = at + needle.length;
    if (bounded && ((at > 0 && wordChar.test(text[at - 1] ?? "")) || (end < text.length && wordChar.test(text[end] ?? "")))) continue;
    out += text.slice(from, at) + replacement;
    from = end;
  }
  return from === 0 ? text : out + text.slice(from);
}

export class Redactor {
  constructor(private readonly patterns: readonly RedactionPattern[]) {}

  apply(text: string): string {
    let out = text;
    for (const pattern of this.patterns) {
      out = "literal" in pattern ? replaceLiteral(out, pattern.literal) : pattern.regex.matcher(out).replaceAll(replacement);
    }
    return out;
  }
}
