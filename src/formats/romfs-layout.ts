/**
 * formats: RomFS level-3 layout (switchbrew "RomFS"), shared by the parser and the test builder.
 * Header: ten u64 (header size 0x50, then offset/size of the directory hash table, directory
 * entry table, file hash table, file entry table, and the file data offset).
 */
export const romfsLayout = {
  headerSize: 0x50,
  dirHashTable: 0x8,
  dirTable: 0x18,
  fileHashTable: 0x28,
  fileTable: 0x38,
  dataOffset: 0x48,
  /** Directory entry: parent, sibling, first child dir, first file, hash-chain next, name size; name. */
  dirEntryHeader: 0x18,
  /** File entry: parent, sibling, data offset u64, size u64, hash-chain next, name size; name. */
  fileEntryHeader: 0x20,
  none: 0xffffffff,
} as const;

/** The hash of an entry name within its parent, used for the bucket tables. */
export function romfsNameHash(parent: number, name: Uint8Array): number {
  let hash = (parent ^ 123456789) >>> 0;
  for (const byte of name) hash = (((hash >>> 5) | (hash << 27)) ^ byte) >>> 0;
  return hash;
}
