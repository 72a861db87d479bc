/**
 * formats/testing: a minimal well-formed main.npdm (switchbrew's NPDM page): the META header, an
 * ACI0 with an empty FS access header, and an unsigned ACID with an empty FS access control; no
 * service or kernel capabilities. Readers such as hactool follow every offset in it unchecked, so
 * fixtures must not ship a bare `META` header. For fixtures only.
 */
const metaSize = 0x80;
const aci0HeaderSize = 0x40;
const fsAccessHeaderSize = 0x1c;
const acidHeaderSize = 0x240;
const fsAccessControlSize = 0x2c;

const align16 = (value: number): number => Math.ceil(value / 16) * 16;

export function buildNpdm(titleId: string, name = "Application"): Buffer {
  const id = BigInt(`0x${titleId}`);
  const aci0Offset = metaSize;
  const aci0Size = aci0HeaderSize + fsAccessHeaderSize;
  const acidOffset = align16(aci0Offset + aci0Size);
  const acidSize = acidHeaderSize + fsAccessControlSize;
  const out = Buffer.alloc(align16(acidOffset + acidSize));
  out.write("META", 0, "latin1");
  out.writeUInt8(0x01, 0xc); // flags: 64-bit instructions
  out.writeUInt8(0x2c, 0xe); // main thread priority
  out.writeUInt32LE(0x100000, 0x1c); // main thread stack size
  out.write(name, 0x20, 0x10, "utf8");
  out.writeUInt32LE(aci0Offset, 0x70);
  out.writeUInt32LE(aci0Size, 0x74);
  out.writeUInt32LE(acidOffset, 0x78);
  out.writeUInt32LE(acidSize, 0x7c);
  // ACI0: FS access header right after its header, empty service and kernel lists after that.
  out.write("ACI0", aci0Offset, "latin1");
  out.writeBigUInt64LE(id, aci0Offset + 0x10);
  const aci0Lists = [aci0HeaderSize, fsAccessHeaderSize, aci0Size, 0, aci0Size, 0];
  aci0Lists.forEach((value, i) => out.writeUInt32LE(value, aci0Offset + 0x20 + i * 4));
  out.writeUInt8(1, aci0Offset + aci0HeaderSize); // FS access header version
  // ACID: zero signature and modulus (unsigned); `size` counts the bytes after the signature.
  out.write("ACID", acidOffset + 0x200, "latin1");
  out.writeUInt32LE(acidSize - 0x100, acidOffset + 0x204);
  out.writeBigUInt64LE(id, acidOffset + 0x210);
  out.writeBigUInt64LE(id, acidOffset + 0x218);
  const acidLists = [acidHeaderSize, fsAccessControlSize, acidSize, 0, acidSize, 0];
  acidLists.forEach((value, i) => out.writeUInt32LE(value, acidOffset + 0x220 + i * 4));
  out.writeUInt8(1, acidOffset + acidHeaderSize); // FS access control version
  return out;
}
