// media: in-place radix-2 FFT (power-of-two sizes), enough for short-window audio spectra.

export class Fft {
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  private readonly reversed: Uint32Array;

  constructor(readonly size: number) {
    if (size < 2 || (size & (size - 1)) !== 0) throw new RangeError("FFT size must be a power of two");
    this.cos = new Float64Array(size / 2);
    this.sin = new Float64Array(size / 2);
    for (let i = 0; i < size / 2; i += 1) {
      this.cos[i] = Math.cos((-2 * Math.PI * i) / size);
      this.sin[i] = Math.sin((-2 * Math.PI * i) / size);
    }
    this.reversed = new Uint32Array(size);
    const bits = Math.log2(size);
    for (let i = 0; i < size; i += 1) {
      let r = 0;
      for (let b = 0; b < bits; b += 1) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.reversed[i] = r;
    }
  }

  /** Transforms (re, im) in place. */
  transform(re: Float64Array, im: Float64Array): void {
    const n = this.size;
    const reversed = this.reversed;
    const cos = this.cos;
    const sin = this.sin;
    for (let i = 0; i < n; i += 1) {
      const j = reversed[i];
      if (j > i) {
        const tr = re[i];
        re[i] = re[j];
        re[j] = tr;
        const ti = im[i];
        im[i] = im[j];
        im[j] = ti;
      }
    }
    // Butterflies of one stage are independent: walking them twiddle by twiddle loads each twiddle
    // once and gives the same results as walking them block by block.
    // Integer arithmetic (shifts) keeps every index a small integer for the JIT.
    for (let len = 2; len <= n; len <<= 1) {
      const half = len >> 1;
      const step = (n / len) | 0;
      for (let k = 0; k < half; k += 1) {
        const wr = cos[k * step];
        const wi = sin[k * step];
        for (let a = k; a < n; a += len) {
          const b = a + half;
          const xr = re[b] * wr - im[b] * wi;
          const xi = re[b] * wi + im[b] * wr;
          re[b] = re[a] - xr;
          im[b] = im[a] - xi;
          re[a] = re[a] + xr;
          im[a] = im[a] + xi;
        }
      }
    }
  }
}
