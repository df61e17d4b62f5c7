import { describe, it, expect } from 'vitest';
import { gaussians, seededMatrix, tokenEmbedding, uniformStream } from './seeded.ts';

describe('seeded generation', () => {
  it('is deterministic', () => {
    expect(Array.from(tokenEmbedding('cat', 16, 3))).toEqual(Array.from(tokenEmbedding('cat', 16, 3)));
    expect(Array.from(seededMatrix(4, 5, 9, 'h0.Wq', 0.5).data)).toEqual(Array.from(seededMatrix(4, 5, 9, 'h0.Wq', 0.5).data));
  });

  it('pins known values (changing the generator would change every saved scenario)', () => {
    const u = uniformStream('pin');
    expect([u(), u(), u()]).toEqual([0.902203009231016, 0.2679542957339436, 0.6429410458076745]);
    const e = Array.from(tokenEmbedding('the', 4, 1));
    [-0.1436735987663269, 0.2527994215488434, 1.7054773569107056, -0.11292809993028641].forEach((want, k) => expect(e[k]).toBeCloseTo(want, 6));
    const m = Array.from(seededMatrix(2, 2, 1, 'h0.Wq', 1).data);
    [0.0582064688205719, -1.071482539176941, 1.3729654550552368, 0.9026622176170349].forEach((want, k) => expect(m[k]).toBeCloseTo(want, 6));
  });

  it('the same token gets the same vector whatever its position or sentence', () => {
    const tokens = ['the', 'cat', 'saw', 'the', 'dog'];
    const X = tokens.map((t) => Array.from(tokenEmbedding(t, 8, 42)));
    expect(X[3]).toEqual(X[0]);
    expect(X[1]).not.toEqual(X[0]);
    expect(Array.from(tokenEmbedding('the', 8, 42))).toEqual(X[0]);
  });

  it('a different seed, label or text gives different numbers', () => {
    const a = Array.from(tokenEmbedding('cat', 8, 1));
    expect(Array.from(tokenEmbedding('cat', 8, 2))).not.toEqual(a);
    expect(Array.from(tokenEmbedding('Cat', 8, 1))).not.toEqual(a);
    expect(Array.from(tokenEmbedding('cats', 8, 1))).not.toEqual(a);
    const m = Array.from(seededMatrix(3, 3, 1, 'h0.Wq', 1).data);
    expect(Array.from(seededMatrix(3, 3, 1, 'h0.Wk', 1).data)).not.toEqual(m);
    expect(Array.from(seededMatrix(3, 3, 1, 'h1.Wq', 1).data)).not.toEqual(m);
    expect(Array.from(seededMatrix(3, 3, 2, 'h0.Wq', 1).data)).not.toEqual(m);
  });

  it('is prefix-stable: growing d or the matrix keeps the existing numbers', () => {
    expect(Array.from(tokenEmbedding('cat', 16, 5)).slice(0, 7)).toEqual(Array.from(tokenEmbedding('cat', 7, 5)));
    const small = seededMatrix(3, 2, 5, 'Wo', 1);
    const big = seededMatrix(4, 5, 5, 'Wo', 1);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 2; j++) expect(big.data[i * 5 + j]).toBe(small.data[i * 2 + j]);
  });

  it('Gaussians have the asked mean and spread', () => {
    const g = gaussians('stats', 20000, 2);
    const mean = g.reduce((a, b) => a + b, 0) / g.length;
    const sd = Math.sqrt(g.reduce((a, b) => a + (b - mean) ** 2, 0) / g.length);
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(sd).toBeGreaterThan(1.94);
    expect(sd).toBeLessThan(2.06);
    expect(g.every(Number.isFinite)).toBe(true);
    // about 68% within one standard deviation
    const within = g.filter((x) => Math.abs(x) < 2).length / g.length;
    expect(within).toBeGreaterThan(0.66);
    expect(within).toBeLessThan(0.7);
  });

  it('scales the standard deviation of matrices', () => {
    const m = seededMatrix(100, 100, 3, 'x', 0.1);
    const sd = Math.sqrt(Array.from(m.data).reduce((a, b) => a + b * b, 0) / m.data.length);
    expect(sd).toBeGreaterThan(0.095);
    expect(sd).toBeLessThan(0.105);
  });
});
