// wasm: a resumable LZ4 block decoder in AssemblyScript, compiled to dist/wasm/lz4-block.wasm by
// `npm run build`. It decodes into a window in its own memory and stops whenever the window is
// full, so the caller hands the output on and continues in another window; a segment is never
// whole in memory. src/formats/lz4-stream.ts drives it. On a malformed block it only says "error": the
// TypeScript decoder (src/formats/lz4.ts) then decodes the block again to name the bad byte.

/** The farthest back a match can reach (its offset is 16 bits). */
const history: u32 = 0xffff;

let inputEnd: usize = 0;
let s: usize = 0; // next input byte (absolute address)
let window: usize = 0; // window start (absolute address)
let capacity: u32 = 0; // usable window bytes (slack for wild copies follows)
let d: u32 = 0; // next window byte to write
let base: u32 = 0; // output position of window[0]
let outputSize: u32 = 0;
let literalsLeft: u32 = 0;
let matchLeft: u32 = 0;
let distance: u32 = 0;
let matchNibble: u32 = 0;
let matchPending = false; // literals done, match header not read yet

export const DONE: i32 = 0;
export const FULL: i32 = 1;
export const ERROR: i32 = -1;

export function start(input: usize, inputLength: usize, windowAt: usize, windowCapacity: u32, size: u32): void {
  s = input;
  inputEnd = input + inputLength;
  window = windowAt;
  capacity = windowCapacity;
  d = 0;
  base = 0;
  outputSize = size;
  literalsLeft = 0;
  matchLeft = 0;
  distance = 0;
  matchPending = false;
}

export function writePosition(): u32 {
  return d;
}

/**
 * Continues in the window at `next` (the caller alternates two, so one can be written out while
 * the other fills): its front gets the last 64 KiB of output, the history a match can reach.
 * Returns how many bytes were carried over.
 */
export function continueIn(next: usize): u32 {
  const keep = d < history ? d : history;
  memory.copy(next, window + d - keep, keep);
  window = next;
  base += d - keep;
  d = keep;
  return keep;
}

/** Decodes until the block ends (DONE), the window is full (FULL), or the block is malformed (ERROR). */
export function run(): i32 {
  while (true) {
    if (literalsLeft > 0) {
      const room = capacity - d;
      if (room == 0) return FULL;
      const n = literalsLeft < room ? literalsLeft : room;
      memory.copy(window + d, s, n);
      s += n;
      d += n;
      literalsLeft -= n;
      continue;
    }
    if (matchLeft > 0) {
      const room = capacity - d;
      if (room == 0) return FULL;
      const n = matchLeft < room ? matchLeft : room;
      copyMatch(window + d, distance, n);
      d += n;
      matchLeft -= n;
      continue;
    }
    if (matchPending) {
      matchPending = false;
      if (s == inputEnd) break; // The last sequence has literals only.
      if (inputEnd - s < 2) return ERROR;
      distance = <u32>load<u8>(s) | (<u32>load<u8>(s + 1) << 8);
      s += 2;
      if (distance == 0 || distance > base + d) return ERROR;
      let length = matchNibble + 4;
      if (matchNibble == 15) {
        let byte: u32 = 255;
        while (byte == 255) {
          if (s >= inputEnd) return ERROR;
          byte = load<u8>(s++);
          length += byte;
        }
      }
      if (length > outputSize - base - d) return ERROR;
      if (distance >= 8 && length <= 32 && d + length <= capacity) {
        // Each 8-byte read lies at least 8 bytes behind its write, so it reads finished output.
        const to = window + d;
        const from = to - distance;
        for (let i: usize = 0; i < length; i += 8) store<u64>(to + i, load<u64>(from + i));
        d += length;
      } else {
        matchLeft = length;
      }
      continue;
    }
    if (s >= inputEnd) break;
    const token = <u32>load<u8>(s++);
    let literals = token >> 4;
    if (literals == 15) {
      let byte: u32 = 255;
      while (byte == 255) {
        if (s >= inputEnd) return ERROR;
        byte = load<u8>(s++);
        literals += byte;
      }
    }
    if (<usize>literals > inputEnd - s) return ERROR;
    if (literals > outputSize - base - d) return ERROR;
    matchNibble = token & 15;
    matchPending = true;
    if (literals <= 32 && d + literals <= capacity && s + literals + 8 <= inputEnd) {
      // Wild copy: may write up to 7 bytes past the run (into the window's slack or bytes that
      // the next run overwrites) and read up to 7 bytes past it (inside the input).
      const to = window + d;
      for (let i: usize = 0; i < literals; i += 8) store<u64>(to + i, load<u64>(s + i));
      s += literals;
      d += literals;
    } else {
      literalsLeft = literals;
    }
  }
  return base + d == outputSize ? DONE : ERROR;
}

/** Copies `length` bytes to `to` from `back` bytes behind it; an overlapping match repeats its period. */
function copyMatch(to: usize, back: u32, length: u32): void {
  const from = to - back;
  if (back >= length) {
    memory.copy(to, from, length);
    return;
  }
  if (length < 32) {
    for (let i: usize = 0; i < length; i++) store<u8>(to + i, load<u8>(from + i));
    return;
  }
  // memory.copy is a memmove: copy in steps no longer than what is already written (the period
  // doubles each step, so a long run of one byte takes a few dozen copies).
  let done: u32 = 0;
  while (done < length) {
    const left = length - done;
    const step = back + done < left ? back + done : left;
    memory.copy(to + done, from, step);
    done += step;
  }
}
