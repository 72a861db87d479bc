/**
 * formats: streaming LZ4 block decompression on the WebAssembly decoder (`wasm/lz4-block.ts`,
 * built into `dist/wasm/lz4-block.wasm`). The compressed block is read straight into the
 * decoder's memory and the output passes through two windows of `chunkBytes` + 64 KiB (a match
 * reaches at most 65535 bytes back): while the sink writes one out, the decoder fills the other.
 * A 64 MiB segment is hashed and written piece by piece and never sits whole in memory. Our
 * TypeScript decoder stays the authority on errors: a block the WebAssembly decoder rejects is
 * decoded again by it, which names the byte where it goes wrong. Where the module is missing (no
 * build yet) the TypeScript decoder does the whole block.
 */
import { readFileSync } from "node:fs";
import { type Lz4Origin, decompressLz4Block, lz4MaxDecompressedSize } from "./lz4.js";

/**
 * Receives output in order. The bytes stay valid until the returned promise settles (or, for a
 * plain return, until the call returns): the window is reused after that.
 */
export type Lz4Sink = (chunk: Uint8Array) => void | Promise<void>;

/** Where the compressed block comes from: its size, and a reader that fills a buffer with it. */
export interface Lz4Block {
  size: number;
  read(target: Uint8Array): Promise<void>;
}

/** The little of the WebAssembly API used here (the ES2023 lib Node's types build on has none). */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

interface Lz4Wasm {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  start(input: number, inputLength: number, window: number, capacity: number, outputSize: number): void;
  run(): number;
  writePosition(): number;
  continueIn(window: number): number;
}

const done = 0;
const failed = -1;
const history = 0xffff;
/** Room after each window for the decoder's 8-byte wild copies. */
const slack = 16;
const page = 0x10000;
/** Output handed to the sink at a time by default. */
export const defaultLz4ChunkBytes = 1 << 20;

let loaded: Lz4Wasm | null | undefined;
let busy = false;

function wasmDecoder(): Lz4Wasm | null {
  if (loaded === undefined) {
    try {
      // From src/formats or dist/formats alike, two levels up is the package root.
      const bytes = readFileSync(new URL("../../dist/wasm/lz4-block.wasm", import.meta.url));
      const { Module, Instance } = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;
      const instance = new Instance(new Module(bytes), { env: { abort: () => undefined } });
      loaded = instance.exports as Lz4Wasm;
    } catch {
      loaded = null;
    }
  }
  return loaded;
}

/** Whether the WebAssembly decoder is in use (benchmarks report it). */
export function lz4WasmAvailable(): boolean {
  return wasmDecoder() !== null;
}

/** A block already in memory, as an `Lz4Block`. */
export function lz4BlockOf(bytes: Uint8Array): Lz4Block {
  return {
    size: bytes.length,
    read: (target) => {
      target.set(bytes);
      return Promise.resolve();
    },
  };
}

/**
 * Decompresses one LZ4 block that must expand to exactly `outputSize` bytes, handing the output to
 * `sink` in order, in pieces of about `chunkBytes` (the first up to 64 KiB more). On a malformed
 * block it throws our decoder's located error; the sink may have seen output before the bad byte.
 */
export async function decompressLz4BlockStreamed(block: Lz4Block, outputSize: number, origin: Lz4Origin, sink: Lz4Sink, chunkBytes = defaultLz4ChunkBytes): Promise<void> {
  const wasm = wasmDecoder();
  const capacity = Math.min(outputSize, history + Math.max(1, chunkBytes));
  const layout = memoryLayout(block.size, capacity);
  // The module has one state: a second block while one is under way gets the TypeScript decoder,
  // and so does a block too large for the module's memory (at most 4 GiB).
  if (wasm === null || busy || outputSize > lz4MaxDecompressedSize(block.size) || !hasMemory(wasm, layout.end)) {
    const bytes = Buffer.allocUnsafe(block.size);
    await block.read(bytes);
    await sink(decompressLz4Block(bytes, outputSize, origin));
    return;
  }
  busy = true;
  try {
    await streamThroughWasm(wasm, block, outputSize, origin, sink, capacity, layout);
  } finally {
    busy = false;
  }
}

/** Where the block and the two windows lie in the module's memory. */
function memoryLayout(blockSize: number, capacity: number): { inputAt: number; windows: [number, number]; end: number } {
  const align = (n: number): number => Math.ceil(n / slack) * slack;
  const inputAt = page;
  const first = inputAt + align(blockSize);
  const second = first + align(capacity + slack);
  return { inputAt, windows: [first, second], end: second + capacity + slack };
}

/** Grows the module's memory to `bytes` when needed; false when it cannot grow that far. */
function hasMemory(wasm: Lz4Wasm, bytes: number): boolean {
  const have = wasm.memory.buffer.byteLength;
  if (have >= bytes) return true;
  try {
    wasm.memory.grow(Math.ceil((bytes - have) / page));
    return true;
  } catch {
    return false;
  }
}

async function streamThroughWasm(
  wasm: Lz4Wasm,
  block: Lz4Block,
  outputSize: number,
  origin: Lz4Origin,
  sink: Lz4Sink,
  capacity: number,
  { inputAt, windows }: ReturnType<typeof memoryLayout>,
): Promise<void> {
  const memory = wasm.memory;
  await block.read(new Uint8Array(memory.buffer, inputAt, block.size));
  wasm.start(inputAt, block.size, windows[0], capacity, outputSize);
  let current = 0;
  let handed = 0;
  // The sink's work on the other window's last piece (a write, say), still under way.
  let otherWindowBusy: Promise<void> | undefined;
  for (;;) {
    const status = wasm.run();
    if (status === failed) {
      await otherWindowBusy;
      decompressLz4Block(new Uint8Array(memory.buffer, inputAt, block.size).slice(), outputSize, origin); // throws the located error
      // Both decoders follow one format: a disagreement is a bug in one of them, not bad input.
      throw new Error(`recomp bug: the WebAssembly LZ4 decoder rejected ${origin.label} ${origin.field}, which the TypeScript decoder accepts`);
    }
    const written = wasm.writePosition();
    const consumed = written > handed ? Promise.resolve(sink(new Uint8Array(memory.buffer, windows[current] + handed, written - handed))) : undefined;
    // Awaited below; a handler now, so that a failure while the decoder runs is not "unhandled".
    consumed?.catch(() => undefined);
    if (status === done) {
      await Promise.all([otherWindowBusy, consumed]);
      return;
    }
    // Decoding goes on in the other window once the sink is done with it; this one stays untouched
    // until its own piece is consumed.
    await otherWindowBusy;
    otherWindowBusy = consumed;
    current = 1 - current;
    handed = wasm.continueIn(windows[current]);
  }
}
