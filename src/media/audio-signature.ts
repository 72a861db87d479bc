// media: short-window audio features: loudness and a 16-band log spectrum every 256 samples (mono mix).
import { Fft } from "./fft.js";

export const hopSamples = 256;
/** One hashed audio window (ffmpeg asetnsamples=n=1024) spans this many hops. */
export const windowSamples = 1024;
export const hopsPerWindow = windowSamples / hopSamples;
export const bandCount = 16;
/** Bytes per hop in the features file: loudness, then the bands. */
export const hopFeatureBytes = 1 + bandCount;

const fftSize = 512;
const lowestHz = 150;
const highestHz = 16000;
/** dB values are stored as round((dB + 96) * 2), clamped to a byte: 0.5 dB steps from -96 dBFS. */
export const dbFloor = -96;

export function encodeDb(db: number): number {
  return Math.max(0, Math.min(255, Math.round((db - dbFloor) * 2)));
}

export function decodeDb(byte: number): number {
  return byte / 2 + dbFloor;
}

function bandEdges(sampleRate: number): Int32Array {
  const top = Math.min(highestHz, sampleRate / 2);
  const bin = (hz: number) => Math.max(1, Math.min(fftSize / 2, Math.round((hz * fftSize) / sampleRate)));
  const edges = new Int32Array(bandCount + 1);
  for (let b = 0; b <= bandCount; b += 1) edges[b] = bin(lowestHz * Math.pow(top / lowestHz, b / bandCount));
  return edges;
}

/** Consumes mono samples (floats in [-1, 1]) and emits one feature record per 256-sample hop. */
export class AudioFeatureBuilder {
  private readonly fft = new Fft(fftSize);
  private readonly hann = Float64Array.from({ length: fftSize }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / fftSize));
  private readonly edges: Int32Array;
  private readonly re = new Float64Array(fftSize);
  private readonly im = new Float64Array(fftSize);
  /** Samples not yet consumed; a hop needs fftSize samples of look-ahead. */
  private pending = new Float32Array(fftSize * 8);
  private pendingLength = 0;
  /** Records so far, in a buffer that doubles when full (an hour of audio is ~12 MB). */
  private out = new Uint8Array(hopFeatureBytes * 4096);
  private outLength = 0;

  constructor(sampleRate: number) {
    this.edges = bandEdges(sampleRate);
  }

  push(samples: Float32Array): void {
    if (this.pendingLength + samples.length > this.pending.length) {
      const grown = new Float32Array(Math.max(this.pending.length * 2, this.pendingLength + samples.length));
      grown.set(this.pending.subarray(0, this.pendingLength));
      this.pending = grown;
    }
    this.pending.set(samples, this.pendingLength);
    this.pendingLength += samples.length;
    let offset = 0;
    while (this.pendingLength - offset >= fftSize) {
      this.hop(this.pending.subarray(offset, offset + fftSize), hopSamples);
      offset += hopSamples;
    }
    this.pending.copyWithin(0, offset, this.pendingLength);
    this.pendingLength -= offset;
  }

  /** Emits the remaining hops (zero-padded) and returns every record. */
  finish(): Uint8Array {
    let offset = 0;
    while (this.pendingLength - offset > 0) {
      const frame = new Float32Array(fftSize);
      frame.set(this.pending.subarray(offset, Math.min(this.pendingLength, offset + fftSize)));
      this.hop(frame, Math.min(hopSamples, this.pendingLength - offset));
      offset += hopSamples;
    }
    this.pendingLength = 0;
    return this.out.slice(0, this.outLength);
  }

  private emit(byte: number): void {
    if (this.outLength === this.out.length) {
      const grown = new Uint8Array(this.out.length * 2);
      grown.set(this.out);
      this.out = grown;
    }
    this.out[this.outLength] = byte;
    this.outLength += 1;
  }

  private hop(frame: Float32Array, valid: number): void {
    // Locals instead of fields inside the loops: this runs about 190 times per second of audio.
    const re = this.re;
    const im = this.im;
    const hann = this.hann;
    const edges = this.edges;
    let energy = 0;
    for (let i = 0; i < valid; i += 1) energy += frame[i] * frame[i];
    this.emit(encodeDb(10 * Math.log10(energy / valid + 1e-12)));
    for (let i = 0; i < fftSize; i += 1) {
      re[i] = frame[i] * hann[i];
      im[i] = 0;
    }
    this.fft.transform(re, im);
    // Normalised so a full-scale sine reads about 0 dB in its band.
    const scale = 4 / (fftSize * fftSize);
    for (let b = 0; b < bandCount; b += 1) {
      const lo = edges[b];
      const hi = Math.max(lo + 1, edges[b + 1]);
      let power = 0;
      for (let k = lo; k < hi && k <= fftSize / 2; k += 1) power += re[k] ** 2 + im[k] ** 2;
      this.emit(encodeDb(10 * Math.log10(power * scale + 1e-12)));
    }
  }
}
