// Deterministic pseudo-random numbers: a string hash (xmur3) seeds a small PRNG (sfc32), and
// Box–Muller turns its uniforms into Gaussians. The same key always gives the same numbers, on every
// platform (only 32-bit integer arithmetic and Math.log/cos/sin/sqrt of doubles are involved).
import type { Matrix } from './types.ts';

/** xmur3: a 32-bit string hash whose successive calls give independent-looking seeds. */
function xmur3(str: string): () => number {
  let h = 1779033703 ^ str.length;
  for (let i = 0; i < str.length; i++) {
    h = Math.imul(h ^ str.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  return () => {
    h = Math.imul(h ^ (h >>> 16), 2246822507);
    h = Math.imul(h ^ (h >>> 13), 3266489909);
    return (h ^= h >>> 16) >>> 0;
  };
}

/** sfc32: uniform numbers in [0, 1) from four 32-bit seeds. */
function sfc32(a: number, b: number, c: number, d: number): () => number {
  return () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

/** A uniform [0, 1) generator determined by a string key. */
export function uniformStream(key: string): () => number {
  const seed = xmur3(key);
  const next = sfc32(seed(), seed(), seed(), seed());
  for (let i = 0; i < 12; i++) next(); // warm-up: decorrelates keys that differ in one character
  return next;
}

/**
 * `count` Gaussians N(0, std²) determined by `key`. Prefix-stable: the first k numbers do not depend
 * on count, so growing d keeps the existing coordinates.
 */
export function gaussians(key: string, count: number, std = 1): Float32Array {
  const next = uniformStream(key);
  const out = new Float32Array(count);
  for (let k = 0; k < count; k += 2) {
    const u1 = 1 - next(); // (0, 1]: log is finite
    const u2 = next();
    const r = Math.sqrt(-2 * Math.log(u1)) * std;
    out[k] = r * Math.cos(2 * Math.PI * u2);
    if (k + 1 < count) out[k + 1] = r * Math.sin(2 * Math.PI * u2);
  }
  return out;
}

/**
 * The embedding of a token: d numbers N(0, 1) that depend only on the token's text, d and the seed
 * (the same word at two positions gets the same vector; there is no positional encoding).
 */
export function tokenEmbedding(text: string, d: number, seed: number): Float32Array {
  return gaussians(`token\u0000${seed}\u0000${text}`, d, 1);
}

/**
 * A rows×cols matrix of N(0, std²) numbers named by `label` (e.g. "h0.Wq"). Each row is its own stream,
 * so element (i, j) does not change when the matrix grows (more rows or columns).
 */
export function seededMatrix(rows: number, cols: number, seed: number, label: string, std: number): Matrix {
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) data.set(gaussians(`matrix\u0000${seed}\u0000${label}\u0000${i}`, cols, std), i * cols);
  return { rows, cols, data };
}
