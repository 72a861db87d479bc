/**
 * formats: keyset files (prod.keys `name = hex`, title.keys `rights_id = hex`). Key values stay
 * inside this object: they are never formatted into messages, JSON or `util.inspect` output.
 */
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { inspect } from "node:util";
import { RecompError, RecompErrorList } from "../util/errors.js";

const linePattern = /^([A-Za-z0-9_]+)\s*[=,]\s*([0-9A-Fa-f]+)\s*$/;

export class Keyset {
  readonly #values: ReadonlyMap<string, Buffer>;
  /** The file as the user named it; messages use its base name (`prod.keys`). */
  readonly file: string;

  constructor(values: ReadonlyMap<string, Buffer>, file: string) {
    this.#values = values;
    this.file = file;
  }

  get names(): string[] {
    return [...this.#values.keys()].sort();
  }

  has(name: string): boolean {
    return this.#values.has(name.toLowerCase());
  }

  /** The key's bytes; a missing key or one of the wrong length is named exactly. */
  require(name: string, length: number): Buffer {
    const key = name.toLowerCase();
    const value = this.#values.get(key);
    if (value === undefined) {
      throw new RecompError({
        code: "input_missing",
        message: `${key} missing from ${basename(this.file)}`,
        location: { file: this.file },
        hint: `add the line "${key} = <${length * 2} hex digits>" from your own console's keys`,
      });
    }
    if (value.length !== length) {
      throw new RecompError({
        code: "format_invalid",
        message: `${key} in ${basename(this.file)} has ${value.length} bytes, expected ${length}`,
        location: { file: this.file },
        hint: "re-dump the keys; the line is truncated or joined with another",
      });
    }
    return value;
  }

  /** `text` with every key value of this keyset (hex, any case) replaced by `<redacted>`. */
  redact(text: string): string {
    let out = text;
    for (const value of this.#values.values()) {
      if (value.length === 0) continue;
      out = out.replace(new RegExp(value.toString("hex"), "gi"), "<redacted>");
    }
    return out;
  }

  toJSON(): { file: string; names: string[] } {
    return { file: this.file, names: this.names };
  }

  [inspect.custom](): string {
    return `Keyset(${basename(this.file)}: ${this.#values.size} keys, values redacted)`;
  }
}

/** Parses keyset text; `#` and `;` start comments. Every bad line is reported at once. */
export function parseKeyset(text: string, file: string): Keyset {
  const values = new Map<string, Buffer>();
  const errors: RecompError[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/[#;].*$/, "").trim();
    if (line === "") return;
    const match = linePattern.exec(line);
    const name = match?.[1]?.toLowerCase();
    const hex = match?.[2];
    if (name === undefined || hex === undefined || hex.length % 2 !== 0) {
      // The line may hold key material: say where it is, never what it says.
      errors.push(
        new RecompError({
          code: "format_invalid",
          message: "not a `name = hex` key line (an even number of hex digits)",
          location: { file, line: index + 1 },
          hint: "keyset lines look like `header_key = 0123...`; comments start with # or ;",
        }),
      );
      return;
    }
    values.set(name, Buffer.from(hex, "hex"));
  });
  if (errors.length > 0) throw new RecompErrorList(errors);
  return new Keyset(values, file);
}

export async function loadKeyset(file: string): Promise<Keyset> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new RecompError({
      code: "input_missing",
      message: `cannot read keyset: ${(error as NodeJS.ErrnoException).code ?? "unreadable"}`,
      location: { file },
      hint: "pass --keys with the path of your prod.keys",
      cause: error,
    });
  }
  return parseKeyset(text, file);
}

/** Key names of the NCA key hierarchy; generation is the master-key revision (0-based). */
export const keyAreaKeyIndexNames = ["application", "ocean", "system"] as const;

export function keyAreaKeyName(index: number, generation: number): string {
  const kind = keyAreaKeyIndexNames[index];
  if (kind === undefined) {
    throw new RecompError({
      code: "format_invalid",
      message: `NCA key area encryption key index ${index} is not 0 (application), 1 (ocean) or 2 (system)`,
      location: { offset: 0x207 },
    });
  }
  return `key_area_key_${kind}_${hex2(generation)}`;
}

export function titlekekName(generation: number): string {
  return `titlekek_${hex2(generation)}`;
}

function hex2(value: number): string {
  return value.toString(16).padStart(2, "0");
}
