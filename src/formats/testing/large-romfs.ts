/**
 * formats/testing: a RomFS image of any size without holding it: one file `big.bin` whose bytes
 * are a fixed pseudo-random 1 MiB block repeated, generated on every read (benchmarks).
 */
import { createHash } from "node:crypto";
import type { ByteSource } from "../byte-source.js";
import { romfsLayout } from "../romfs-layout.js";
import { buildRomfs } from "./romfs-build.js";

const patternSize = 1 << 20;

function pattern(): Buffer {
  const blocks: Buffer[] = [];
  for (let i = 0; blocks.length * 32 < patternSize; i += 1) blocks.push(createHash("sha256").update(`recomp-bench-${i}`).digest());
  return Buffer.concat(blocks).subarray(0, patternSize);
}

export function largeRomfsSource(fileSize: number): ByteSource {
  const small = Buffer.from(buildRomfs([{ path: "big.bin", data: new Uint8Array(0) }]));
  // The one file entry is the whole file table: its size field sits at entry + 0x10.
  const fileTable = Number(small.readBigUInt64LE(romfsLayout.fileTable));
  small.writeBigUInt64LE(BigInt(fileSize), fileTable + 0x10);
  const dataOffset = Number(small.readBigUInt64LE(romfsLayout.dataOffset));
  const head = small.subarray(0, dataOffset);
  const fill = pattern();
  const size = dataOffset + fileSize;
  return {
    size,
    label: "generated romfs",
    read(offset, length) {
      if (offset < 0 || length < 0 || offset + length > size) return Promise.reject(new RangeError(`generated romfs: read past the end`));
      const out = Buffer.allocUnsafe(length);
      for (let done = 0; done < length; ) {
        const at = offset + done;
        if (at < dataOffset) {
          done += head.copy(out, done, at, Math.min(dataOffset, at + length - done));
        } else {
          const inPattern = (at - dataOffset) % patternSize;
          done += fill.copy(out, done, inPattern, Math.min(patternSize, inPattern + length - done));
        }
      }
      return Promise.resolve(out);
    },
  };
}
