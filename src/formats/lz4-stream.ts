/**
 * formats: streaming LZ4 block decompression on the WebAssembly decoder (`wasm/lz4-block.ts`,
 * built into `dist/wasm/lz4-block.wasm`). The output passes through a window of `chunkBytes` +
 * 64 KiB (a match reaches at most 65535 bytes back), so a 64 MiB segment is hashed and written
 * piece by piece and never sits whole in memory. Our TypeScript decoder stays the authority on
 * errors: a block the WebAssembly decoder rejects is decoded again by it, which names the byte
 * where it goes wrong. Where the module is missing (no build yet) the TypeScript decoder does
 * the whole block.
 */
import { readFileSync } from "node:fs";
import { type Lz4Origin, decompressLz4Block, lz4MaxDecompressedSize } from "./lz4.js";

/** Receives output in order; the bytes are only valid during the call (the window is reused). */
export type Lz4Sink = (chunk: Uint8Array) => void;

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
  slide(): number;
}

const done = 0;
const failed = -1;
const history = 0xffff;
/** Room after the window for the decoder's 8-byte wild copies. */
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

/**
 * Decompresses one LZ4 block that must expand to exactly `outputSize` bytes, handing the output to
 * `sink` in order, in pieces of about `chunkBytes` (the first up to 64 KiB more). On a malformed
 * block it throws our decoder's located error; the sink may have seen output before the bad byte.
 */
export function decompressLz4BlockChunked(src: Uint8Array, outputSize: number, origin: Lz4Origin, sink: Lz4Sink, chunkBytes = defaultLz4ChunkBytes): void {
  const wasm = wasmDecoder();
  // A sink that decodes another block (re-entry) gets the TypeScript decoder: the module has one state.
  if (wasm === null || busy || outputSize > lz4MaxDecompressedSize(src.length)) {
    sink(decompressLz4Block(src, outputSize, origin));
    return;
  }
  busy = true;
  try {
    streamThroughWasm(wasm, src, outputSize, origin, sink, Math.min(outputSize, history + Math.max(1, chunkBytes)));
  } finally {
    busy = false;
  }
}

function streamThroughWasm(wasm: Lz4Wasm, src: Uint8Array, outputSize: number, origin: Lz4Origin, sink: Lz4Sink, capacity: number): void {
  const inputAt = page;
  const windowAt = inputAt + Math.ceil(src.length / slack) * slack;
  const needed = windowAt + capacity + slack;
  const memory = wasm.memory;
  if (memory.buffer.byteLength < needed) memory.grow(Math.ceil((needed - memory.buffer.byteLength) / page));
  new Uint8Array(memory.buffer, inputAt, src.length).set(src);
  wasm.start(inputAt, src.length, windowAt, capacity, outputSize);
  let handed = 0;
  for (;;) {
    const status = wasm.run();
    if (status === failed) {
      decompressLz4Block(src, outputSize, origin); // throws the located error
      // Both decoders follow one format: a disagreement is a bug in one of them, not bad input.
      throw new Error(`recomp bug: the WebAssembly LZ4 decoder rejected ${origin.label} ${origin.field}, which the TypeScript decoder accepts`);
    }
    const written = wasm.writePosition();
    if (written > handed) sink(new Uint8Array(memory.buffer, windowAt + handed, written - handed));
    if (status === done) return;
    handed = wasm.slide();
  }
}
