/**
 * formats: the unwind tables every function of a module is described in (LSB "Exception Frames"):
 * `.eh_frame_hdr` (version, pointer encodings, a sorted table of FDE start addresses) and
 * `.eh_frame` (CIE and FDE records). Offsets are offsets in the module's memory image (for an NRO
 * the same as file offsets); `label` names that image in errors.
 */
import { fieldError } from "./fields.js";

/** One FDE: the code range `[start, end)` it describes, as module offsets. */
export interface FdeRange {
  start: number;
  end: number;
  /** Where the FDE record is. */
  record: number;
}

export interface EhFrameHdr {
  /** Start of `.eh_frame` as the header points to it. */
  ehFrame: number;
  /** Function starts of the binary-search table (empty when the table is absent or empty). */
  starts: { location: number; fde: number; at: number }[];
}

/** A module's memory image (text, rodata, data at their memory offsets) and its name for errors. */
export interface ModuleImage {
  bytes: Uint8Array;
  label: string;
}

const omit = 0xff;

/** Reads DWARF pointer encodings (DW_EH_PE_*) with the cursor's byte offset kept for errors. */
class Cursor {
  private readonly view: DataView;

  constructor(
    readonly image: ModuleImage,
    public at: number,
    readonly limit: number,
    readonly field: string,
  ) {
    this.view = new DataView(image.bytes.buffer, image.bytes.byteOffset, image.bytes.byteLength);
  }

  private need(size: number, what: string): void {
    if (this.at + size > this.limit) {
      throw fieldError(this.image.label, `${this.field}.${what}`, this.at, `${size} bytes at 0x${this.at.toString(16)} run past the end of the table (0x${this.limit.toString(16)})`, "the unwind table is truncated");
    }
  }

  u8(what: string): number {
    this.need(1, what);
    return this.view.getUint8(this.at++);
  }

  u32(what: string): number {
    this.need(4, what);
    const value = this.view.getUint32(this.at, true);
    this.at += 4;
    return value;
  }

  leb(what: string, signed: boolean): number {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const byte = this.u8(what);
      result |= BigInt(byte & 0x7f) << shift;
      shift += 7n;
      if ((byte & 0x80) === 0) {
        if (signed && (byte & 0x40) !== 0) result -= 1n << shift;
        return Number(BigInt.asIntN(64, result));
      }
    }
  }

  cString(what: string): string {
    const start = this.at;
    while (this.u8(what) !== 0);
    return Buffer.from(this.image.bytes.subarray(start, this.at - 1)).toString("latin1");
  }

  /** A pointer in `encoding`; pc-relative forms are relative to the field, data-relative ones to `dataBase`. */
  pointer(encoding: number, what: string, dataBase = 0): number {
    const fieldAt = this.at;
    let value: number;
    switch (encoding & 0x0f) {
      case 0x00:
      case 0x04:
      case 0x0c:
        this.need(8, what);
        value = Number(BigInt.asIntN(64, this.view.getBigUint64(this.at, true)));
        this.at += 8;
        break;
      case 0x01:
        value = this.leb(what, false);
        break;
      case 0x09:
        value = this.leb(what, true);
        break;
      case 0x02:
      case 0x0a:
        this.need(2, what);
        value = (encoding & 0x08) !== 0 ? this.view.getInt16(this.at, true) : this.view.getUint16(this.at, true);
        this.at += 2;
        break;
      case 0x03:
      case 0x0b:
        this.need(4, what);
        value = (encoding & 0x08) !== 0 ? this.view.getInt32(this.at, true) : this.view.getUint32(this.at, true);
        this.at += 4;
        break;
      default:
        throw fieldError(this.image.label, `${this.field}.${what}`, fieldAt, `pointer encoding 0x${encoding.toString(16)} is not a DWARF pointer format`);
    }
    switch (encoding & 0x70) {
      case 0x00:
        return value;
      case 0x10:
        return fieldAt + value;
      case 0x30:
        return dataBase + value;
      default:
        throw fieldError(this.image.label, `${this.field}.${what}`, fieldAt, `pointer application 0x${(encoding & 0x70).toString(16)} is not supported (absolute, pc-relative or data-relative)`);
    }
  }
}

/** Parses `.eh_frame_hdr` at `[start, end)`; undefined when it is empty (the linker kept no header). */
export function parseEhFrameHdr(image: ModuleImage, start: number, end: number): EhFrameHdr | undefined {
  if (end === start) return undefined;
  const cursor = new Cursor(image, start, end, "eh_frame_hdr");
  const version = cursor.u8("version");
  if (version !== 1) throw fieldError(image.label, "eh_frame_hdr.version", start, `version ${version}, expected 1`);
  const ehFrameEncoding = cursor.u8("eh_frame_ptr_enc");
  const countEncoding = cursor.u8("fde_count_enc");
  const tableEncoding = cursor.u8("table_enc");
  const ehFrame = cursor.pointer(ehFrameEncoding, "eh_frame_ptr", start);
  const starts: EhFrameHdr["starts"] = [];
  if (countEncoding === omit || tableEncoding === omit) return { ehFrame, starts };
  const count = cursor.pointer(countEncoding, "fde_count", start);
  for (let i = 0; i < count; i++) {
    const at = cursor.at;
    const location = cursor.pointer(tableEncoding, `table[${i}].initial_location`, start);
    const fde = cursor.pointer(tableEncoding, `table[${i}].fde`, start);
    starts.push({ location, fde, at });
  }
  return { ehFrame, starts };
}

interface Cie {
  fdeEncoding: number;
}

/** Reads CIE and FDE records, each CIE once. `limit` is the end of the segment the records are in. */
class RecordReader {
  private readonly cies = new Map<number, Cie>();

  constructor(
    private readonly image: ModuleImage,
    private readonly limit: number,
  ) {}

  /** The record at `at`: its body cursor (just after the length) and end, or undefined for the zero terminator. */
  record(at: number): { body: Cursor; end: number } | undefined {
    const field = `eh_frame[0x${at.toString(16)}]`;
    const header = new Cursor(this.image, at, this.limit, field);
    let length = header.u32("length");
    if (length === 0) return undefined;
    if (length === 0xffffffff) {
      const low = header.u32("extended_length");
      length = header.u32("extended_length") * 2 ** 32 + low;
    }
    const end = header.at + length;
    if (end > this.limit) {
      throw fieldError(this.image.label, `${field}.length`, at, `record of 0x${length.toString(16)} bytes runs past the end of its segment (0x${this.limit.toString(16)})`, "the .eh_frame section is truncated");
    }
    return { body: new Cursor(this.image, header.at, end, field), end };
  }

  /** The record at `at` (its FDE, none for a CIE) and where the next starts; undefined at the terminator. */
  entry(at: number): { fde?: FdeRange; next: number } | undefined {
    const record = this.record(at);
    if (record === undefined) return undefined;
    const idAt = record.body.at;
    const id = record.body.u32("id");
    if (id === 0) {
      this.cies.set(at, parseCie(record.body));
      return { next: record.end };
    }
    const cie = this.cie(idAt - id, record.body.field, idAt);
    const start = record.body.pointer(cie.fdeEncoding, "pc_begin");
    const size = record.body.pointer(cie.fdeEncoding & 0x0f, "pc_range");
    return { fde: { start, end: start + size, record: at }, next: record.end };
  }

  private cie(at: number, field: string, pointerAt: number): Cie {
    let cie = this.cies.get(at);
    if (cie !== undefined) return cie;
    const record = at >= 0 && at < this.limit ? this.record(at) : undefined;
    if (record === undefined || record.body.u32("id") !== 0) {
      throw fieldError(this.image.label, `${field}.cie_pointer`, pointerAt, `points to 0x${at.toString(16)}, which is not a CIE`, "the .eh_frame section is corrupt");
    }
    cie = parseCie(record.body);
    this.cies.set(at, cie);
    return cie;
  }
}

/**
 * Walks `.eh_frame` from `start` to its zero terminator or `limit`, returning every FDE's range.
 * A record that runs past `limit`, an FDE whose CIE pointer does not lead to a CIE, or a bad
 * encoding is a located error.
 */
export function walkEhFrame(image: ModuleImage, start: number, limit: number): FdeRange[] {
  const reader = new RecordReader(image, limit);
  const fdes: FdeRange[] = [];
  for (let at = start; at + 4 <= limit; ) {
    const entry = reader.entry(at);
    if (entry === undefined) break;
    if (entry.fde !== undefined) fdes.push(entry.fde);
    at = entry.next;
  }
  return fdes;
}

/** The FDEs the header's table lists (`.eh_frame` need not end with a terminator then); each must describe its table entry. */
export function tableFdes(image: ModuleImage, header: EhFrameHdr, limit: number): FdeRange[] {
  const reader = new RecordReader(image, limit);
  return header.starts.map((entry, i) => {
    const fde = entry.fde >= 0 && entry.fde < limit ? reader.entry(entry.fde)?.fde : undefined;
    if (fde?.start !== entry.location) {
      const found = fde === undefined ? "no FDE" : `an FDE of 0x${fde.start.toString(16)}`;
      throw fieldError(image.label, `eh_frame_hdr.table[${i}].fde`, entry.at, `0x${entry.fde.toString(16)} holds ${found}, not the FDE of 0x${entry.location.toString(16)}`, "the module's .eh_frame_hdr is corrupt");
    }
    return fde;
  });
}

function parseCie(cursor: Cursor): Cie {
  const version = cursor.u8("version");
  if (version !== 1 && version !== 3) throw fieldError(cursor.image.label, `${cursor.field}.version`, cursor.at - 1, `CIE version ${version}, expected 1 or 3`);
  const augmentation = cursor.cString("augmentation");
  if (augmentation.includes("eh")) cursor.pointer(0, "eh_data");
  cursor.leb("code_alignment_factor", false);
  cursor.leb("data_alignment_factor", true);
  if (version === 1) cursor.u8("return_address_register");
  else cursor.leb("return_address_register", false);
  const cie: Cie = { fdeEncoding: 0 };
  if (!augmentation.startsWith("z")) return cie;
  cursor.leb("augmentation_length", false);
  for (const letter of augmentation.slice(1)) {
    if (letter === "R") cie.fdeEncoding = cursor.u8("fde_encoding");
    else if (letter === "L") cursor.u8("lsda_encoding");
    else if (letter === "P") cursor.pointer(cursor.u8("personality_encoding"), "personality");
    else if (letter !== "S" && letter !== "B") break;
  }
  return cie;
}
