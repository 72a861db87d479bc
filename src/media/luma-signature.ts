// media: per-frame perceptual signature: a 64x36 luma thumbnail (scaled by ffmpeg) and a 64-bit DCT hash of it.

export const signatureWidth = 64;
export const signatureHeight = 36;
export const signatureBytes = signatureWidth * signatureHeight;

const hashSide = 8;

function cosineTable(size: number): Float64Array {
  const table = new Float64Array(hashSide * size);
  for (let k = 0; k < hashSide; k += 1) {
    for (let n = 0; n < size; n += 1) table[k * size + n] = Math.cos((Math.PI * (2 * n + 1) * k) / (2 * size));
  }
  return table;
}

const cosX = cosineTable(signatureWidth);
const cosY = cosineTable(signatureHeight);

// Scratch space reused by every call (hashing runs once per frame, thousands of times per clip).
const rows = new Float64Array(signatureHeight * hashSide);
const coeffs = new Float64Array(hashSide * hashSide);
const acCoeffs = new Float64Array(hashSide * hashSide - 1);

/**
 * 64-bit perceptual hash: the 8x8 lowest DCT-II coefficients of the thumbnail, each bit set when the
 * coefficient lies above their median (the DC term excluded from the median, as in common pHash variants).
 */
export function perceptualHash(thumb: Uint8Array): bigint {
  for (let y = 0; y < signatureHeight; y += 1) {
    const row = y * signatureWidth;
    for (let u = 0; u < hashSide; u += 1) {
      const basis = u * signatureWidth;
      let sum = 0;
      for (let x = 0; x < signatureWidth; x += 1) sum += thumb[row + x] * cosX[basis + x];
      rows[y * hashSide + u] = sum;
    }
  }
  for (let v = 0; v < hashSide; v += 1) {
    const basis = v * signatureHeight;
    for (let u = 0; u < hashSide; u += 1) {
      let sum = 0;
      for (let y = 0; y < signatureHeight; y += 1) sum += rows[y * hashSide + u] * cosY[basis + y];
      coeffs[v * hashSide + u] = sum;
    }
  }
  acCoeffs.set(coeffs.subarray(1));
  acCoeffs.sort();
  const median = (acCoeffs[31] + acCoeffs[32]) / 2;
  // Two 32-bit halves, joined into one BigInt at the end (a BigInt per bit is slow).
  let low = 0;
  let high = 0;
  for (let i = 0; i < 32; i += 1) if (coeffs[i] > median) low |= 1 << i;
  for (let i = 32; i < 64; i += 1) if (coeffs[i] > median) high |= 1 << (i - 32);
  return (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0);
}

export function hammingDistance(a: bigint, b: bigint): number {
  let x = a ^ b;
  let count = 0;
  while (x !== 0n) {
    x &= x - 1n;
    count += 1;
  }
  return count;
}

/** Root-mean-square difference of two thumbnails, in 8-bit luma steps. */
export function thumbRmse(a: Uint8Array, aIndex: number, b: Uint8Array, bIndex: number): number {
  const x = aIndex * signatureBytes;
  const y = bIndex * signatureBytes;
  let sum = 0;
  for (let i = 0; i < signatureBytes; i += 1) {
    const d = (a[x + i]) - (b[y + i]);
    sum += d * d;
  }
  return Math.sqrt(sum / signatureBytes);
}
