// engine: a command's output stream to its log, redacted line by line, in linear time and bounded
// memory whatever the line length: a line longer than a window is redacted and written a window at a
// time, each window overlapping the next so that a match shorter than the overlap is never cut.
import type { WriteStream } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import type { Redactor } from "./redact.js";

/** Characters redacted at once in an overlong line, and the tail carried into the next window. */
export const lineWindow = 1 << 20;
export const windowOverlap = 1 << 16;

export class LineSink {
  private readonly decoder = new StringDecoder("utf8");
  /** The unfinished line, in pieces (joined only when it ends or outgrows a window). */
  private pending: string[] = [];
  private pendingLength = 0;
  /** True while the pending text continues a line whose start was already written. */
  private continued = false;

  constructor(
    private readonly out: WriteStream,
    private readonly redactor: Redactor,
    private readonly echo: ((line: string) => void) | undefined,
  ) {}

  /** Returns false when the log wants the producer to wait for "drain". */
  write(chunk: Buffer): boolean {
    const text = this.decoder.write(chunk);
    let ok = true;
    let start = 0;
    for (let newline = text.indexOf("\n"); newline !== -1; newline = text.indexOf("\n", start)) {
      ok = this.emit(this.takePending(text.slice(start, newline)), true) && ok;
      start = newline + 1;
    }
    const rest = text.slice(start);
    if (rest !== "") {
      this.pending.push(rest);
      this.pendingLength += rest.length;
    }
    if (this.pendingLength > lineWindow) ok = this.flushWindows() && ok;
    return ok;
  }

  private takePending(tail: string): string {
    const line = this.pending.length === 0 ? tail : this.pending.join("") + tail;
    this.pending = [];
    this.pendingLength = 0;
    return line;
  }

  /** Writes an overlong line's complete windows; the overlap (already redacted) stays pending. */
  private flushWindows(): boolean {
    let text = this.takePending("");
    let ok = true;
    while (text.length > lineWindow) {
      const clean = this.redactor.apply(text.slice(0, lineWindow));
      const cut = Math.max(0, clean.length - windowOverlap);
      ok = this.writeOut(clean.slice(0, cut)) && ok;
      text = clean.slice(cut) + text.slice(lineWindow);
      this.continued = true;
    }
    this.pending = [text];
    this.pendingLength = text.length;
    return ok;
  }

  end(): void {
    const rest = this.takePending(this.decoder.end());
    if (rest !== "") this.emit(rest, false);
  }

  private emit(line: string, newline: boolean): boolean {
    const clean = this.redactor.apply(line);
    const ok = this.writeOut(newline ? `${clean}\n` : clean);
    // An overlong line is echoed only from where it was cut: the terminal is not a log.
    this.echo?.(this.continued ? `…${clean.slice(-200)}` : clean);
    this.continued = false;
    return ok;
  }

  private writeOut(text: string): boolean {
    return this.out.write(text);
  }
}
