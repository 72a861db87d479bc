/**
 * formats: packaged content meta (`*.cnmt`, inside the PFS0 of a meta NCA): the title id and
 * version of a title and the NCA ids of its contents. Program selection reads versions from here
 * because an NCA header carries no version.
 */
import type { ByteSource } from "./byte-source.js";
import { FieldView, readField } from "./fields.js";

export const cnmtContentTypes = ["meta", "program", "data", "control", "html_document", "legal_information", "delta_fragment"] as const;

export interface CnmtContent {
  /** NCA id: the file is `<ncaId>.nca` (or `.cnmt.nca` for the meta NCA). */
  ncaId: string;
  type: (typeof cnmtContentTypes)[number] | "unknown";
}

export interface Cnmt {
  titleId: string;
  version: number;
  contents: CnmtContent[];
}

const headerSize = 0x20;
const recordSize = 0x38;

export async function parseCnmt(source: ByteSource): Promise<Cnmt> {
  const header = new FieldView(await readField(source, 0, headerSize, "cnmt header"), 0, source.label);
  const extendedHeaderSize = header.u8(0xe) | (header.u8(0xf) << 8);
  const count = header.u8(0x10) | (header.u8(0x11) << 8);
  const recordsAt = headerSize + extendedHeaderSize;
  const records = new FieldView(await readField(source, recordsAt, count * recordSize, "cnmt content records"), recordsAt, source.label);
  const contents: CnmtContent[] = [];
  for (let i = 0; i < count; i += 1) {
    const at = i * recordSize;
    contents.push({ ncaId: records.hex(at + 0x20, 0x10), type: cnmtContentTypes[records.u8(at + 0x36)] ?? "unknown" });
  }
  return { titleId: header.hex64(0), version: header.u32(8), contents };
}

/** A cnmt with one record per content (fixtures). */
export function buildCnmt(cnmt: Cnmt, metaType = 0x80): Buffer {
  const out = Buffer.alloc(headerSize + cnmt.contents.length * recordSize);
  out.writeBigUInt64LE(BigInt(`0x${cnmt.titleId}`), 0);
  out.writeUInt32LE(cnmt.version, 8);
  out.writeUInt8(metaType, 0xc);
  out.writeUInt16LE(cnmt.contents.length, 0x10);
  cnmt.contents.forEach((content, i) => {
    const at = headerSize + i * recordSize;
    out.write(content.ncaId, at + 0x20, "hex");
    out.writeUInt8(Math.max(0, cnmtContentTypes.indexOf(content.type as (typeof cnmtContentTypes)[number])), at + 0x36);
  });
  return out;
}
