// media: running ffmpeg with raw outputs on pipes (fd 1, 3, ...) and streaming each into a sink.
import { createHash, type Hash } from "node:crypto";
import type { Readable } from "node:stream";
import { isMissing, toolFailed, toolMissing } from "./ffmpeg-tool.js";

export interface ChunkSink {
  push(chunk: Buffer): void;
}

const stderrLimit = 64 * 1024;

/**
 * Runs `tool args`, where the arguments write one raw output to `pipe:1` and further ones to
 * `pipe:3`, `pipe:4`, ...: sinks[0] receives fd 1, sinks[1] fd 3, and so on. All pipes are read
 * concurrently, so ffmpeg never blocks on a full pipe.
 */
export async function runRawPipes(tool: string, args: readonly string[], sinks: readonly ChunkSink[], what: string): Promise<void> {
  const extra = sinks.slice(1).map(() => "pipe" as const);
  const { execa } = await import("execa");
  const child = execa(tool, args, {
    stdio: ["ignore", "pipe", "pipe", ...extra],
    buffer: false,
    reject: false,
    encoding: "buffer",
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    if (stderr.length < stderrLimit) stderr += chunk.toString("utf8");
  });
  sinks.forEach((sink, index) => {
    const stream = (index === 0 ? child.stdout : child.stdio[index + 2]) as Readable | null | undefined;
    stream?.on("data", (chunk: Buffer) => sink.push(chunk));
  });
  const result = await child;
  if (isMissing(result)) throw toolMissing(tool);
  if (result.exitCode !== 0) throw toolFailed(tool, what, stderr);
}

/** Splits a byte stream into records of a fixed size and hashes each one with SHA-256, without copying. */
export class RecordHasher implements ChunkSink {
  readonly hashes: string[] = [];
  private hash: Hash | undefined;
  private filled = 0;

  constructor(private readonly recordBytes: number) {}

  push(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      this.hash ??= createHash("sha256");
      const take = Math.min(this.recordBytes - this.filled, chunk.length - offset);
      this.hash.update(chunk.subarray(offset, offset + take));
      this.filled += take;
      offset += take;
      if (this.filled === this.recordBytes) this.flush();
    }
  }

  /** Ends the stream; a trailing partial record is hashed as it is (ffmpeg's asetnsamples p=0 does the same). */
  finish(): string[] {
    if (this.filled > 0) this.flush();
    return this.hashes;
  }

  get partialBytes(): number {
    return this.filled;
  }

  private flush(): void {
    this.hashes.push((this.hash as Hash).digest("hex"));
    this.hash = undefined;
    this.filled = 0;
  }
}

/** Collects a (small) stream into one buffer. */
export class ByteCollector implements ChunkSink {
  private readonly chunks: Buffer[] = [];

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
  }

  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}
