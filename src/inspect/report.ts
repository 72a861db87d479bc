// inspect: the shape of an inspection report and its readable text form.
import type { ByteSource } from "../formats/byte-source.js";
import type { Keyset } from "../formats/keyset.js";

export interface InspectSection {
  title: string;
  rows: [string, string][];
}

export interface InspectReport {
  /** The format key the handler is registered under (e.g. "nro0"). */
  format: string;
  /** Everything the handler found, for `--json` (canonical JSON). */
  data: unknown;
  /** The same, laid out for a terminal. */
  sections: InspectSection[];
}

export function renderReport(path: string, report: InspectReport): string {
  const lines = [`${path}: ${report.format}`];
  for (const section of report.sections) {
    lines.push("", section.title);
    const width = Math.max(0, ...section.rows.map(([key]) => key.length));
    for (const [key, value] of section.rows) lines.push(`  ${key.padEnd(width)}  ${value}`);
  }
  return `${lines.join("\n")}\n`;
}

export const hex = (value: number): string => `0x${value.toString(16)}`;

/** `0x1000..0x2000 (0x1000 bytes)` */
export const range = (offset: number, size: number): string => `${hex(offset)}..${hex(offset + size)} (${hex(size)} bytes)`;

/** What some handlers need besides the bytes: the user's keys, to look inside encrypted NCAs. */
export interface InspectContext {
  keys?: Keyset;
  titleKeys?: Keyset;
}

export interface InspectHandler {
  /** One line for `recomp inspect --help`. */
  describe: string;
  inspect(source: ByteSource, context: InspectContext): Promise<InspectReport>;
}
