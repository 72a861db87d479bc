// validate: where the reference window starts in the capture: votes from exact or perceptual-hash matches, refined by cost.
import type { FrameMetric } from "./frame-similarity.js";

const maxPositionsPerHash = 16;
const maxSamples = 300;

/** Offsets (capture index - reference index) proposed by frames whose exact hashes are equal. */
export function hashVotes(refHashes: readonly string[], capHashes: readonly string[]): number[] {
  const positions = new Map<string, number[]>();
  capHashes.forEach((hash, j) => {
    const list = positions.get(hash) ?? [];
    // Static scenes repeat a hash many times; a few positions are enough to vote.
    if (list.length < maxPositionsPerHash) list.push(j);
    positions.set(hash, list);
  });
  const votes: number[] = [];
  refHashes.forEach((hash, i) => {
    for (const j of positions.get(hash) ?? []) votes.push(j - i);
  });
  return votes;
}

function popcount32(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

function split(hashes: readonly bigint[]): Uint32Array {
  const out = new Uint32Array(hashes.length * 2);
  hashes.forEach((h, i) => {
    out[2 * i] = Number(h & 0xffffffffn);
    out[2 * i + 1] = Number(h >> 32n);
  });
  return out;
}

/** Offsets proposed by the capture frames nearest (perceptual-hash Hamming distance) to sampled reference frames. */
export function perceptualVotes(refPhashes: readonly bigint[], capPhashes: readonly bigint[]): number[] {
  const ref = split(refPhashes);
  const cap = split(capPhashes);
  const step = Math.max(1, Math.floor(refPhashes.length / maxSamples));
  const votes: number[] = [];
  for (let i = 0; i < refPhashes.length; i += step) {
    let best = 65;
    let nearest: number[] = [];
    for (let j = 0; j < capPhashes.length; j += 1) {
      const d = popcount32(((ref[2 * i]) ^ (cap[2 * j])) >>> 0) + popcount32(((ref[2 * i + 1]) ^ (cap[2 * j + 1])) >>> 0);
      if (d < best) {
        best = d;
        nearest = [j];
      } else if (d === best && nearest.length < maxPositionsPerHash) nearest.push(j);
    }
    for (const j of nearest) votes.push(j - i);
  }
  return votes;
}

/** The most frequent vote; ties go to the smallest |offset|, then the smallest. */
export function mostVoted(votes: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const vote of votes) counts.set(vote, (counts.get(vote) ?? 0) + 1);
  let best = 0;
  let bestCount = 0;
  for (const [offset, n] of [...counts.entries()].sort((a, b) => a[0] - b[0])) {
    if (n > bestCount || (n === bestCount && Math.abs(offset) < Math.abs(best))) {
      best = offset;
      bestCount = n;
    }
  }
  return best;
}

function diagonalCost(offset: number, refCount: number, capCount: number, metric: FrameMetric): number {
  const step = Math.max(1, Math.floor(refCount / maxSamples));
  let total = 0;
  let samples = 0;
  for (let i = 0; i < refCount; i += step) {
    const j = i + offset;
    total += j >= 0 && j < capCount ? metric.cost(i, j) : 1;
    samples += 1;
  }
  return samples === 0 ? 1 : total / samples;
}

/** The most-voted offset, refined to the cheapest diagonal within +-2 frames. */
export function estimateOffset(votes: readonly number[], refCount: number, capCount: number, metric: FrameMetric): number {
  const voted = mostVoted(votes);
  let best = voted;
  let bestCost = diagonalCost(voted, refCount, capCount, metric);
  for (const delta of [-1, 1, -2, 2]) {
    const cost = diagonalCost(voted + delta, refCount, capCount, metric);
    if (cost < bestCost - 1e-12) {
      best = voted + delta;
      bestCost = cost;
    }
  }
  return best;
}
