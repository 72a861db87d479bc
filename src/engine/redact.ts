// engine: redaction of logs and manifests. Key material is always redacted; a profile adds more.
import { homedir, userInfo } from "node:os";
import { readFile } from "node:fs/promises";
import { RecompError } from "../util/errors.js";

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function homePatterns(): RegExp[] {
  const patterns = [new RegExp(escapeRegExp(homedir()), "g")];
  const name = userInfo().username;
  // Short user names ("a", "me") would redact ordinary words.
  if (name.length >= 4) patterns.push(new RegExp(`\\b${escapeRegExp(name)}\\b`, "g"));
  return patterns;
}

/** Profiles: what each one redacts besides key material. "homebrew-default" is the prior art's name. */
const profiles: Record<string, () => RegExp[]> = {
  none: () => [],
  default: homePatterns,
  "homebrew-default": homePatterns,
  // 128-bit hex tokens: key-sized values of any origin (SHA-256 digests are 256-bit and stay).
  strict: () => [...homePatterns(), /\b[0-9a-fA-F]{32}\b/g],
};

export function redactionPatternsFor(profile: string | undefined, extra: readonly string[], file: string): RegExp[] {
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
  const patterns = make();
  extra.forEach((source, index) => {
    try {
      patterns.push(new RegExp(source, "g"));
    } catch (error) {
      throw new RecompError({
        code: "config_invalid",
        message: `redaction pattern is not a regular expression: ${(error as Error).message}`,
        location: { file, keyPath: `policy.redaction_patterns[${index}]` },
      });
    }
  });
  return patterns;
}

/** Every key value in a keyset file, so that no log or manifest ever shows one. */
export async function keyMaterialPatterns(keysFile: string | undefined): Promise<RegExp[]> {
  if (keysFile === undefined) return [];
  const text = await readFile(keysFile, "utf8").catch(() => "");
  const values = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    const match = /=\s*([0-9a-fA-F]{16,})\s*$/.exec(line.replace(/[#;].*$/, ""));
    if (match?.[1] !== undefined) values.add(match[1].toLowerCase());
  }
  return [...values].sort().map((value) => new RegExp(escapeRegExp(value), "gi"));
}

export class Redactor {
  constructor(private readonly patterns: readonly RegExp[]) {}

  apply(text: string): string {
    let out = text;
    for (const pattern of this.patterns) out = out.replace(pattern, "[redacted]");
    return out;
  }
}
