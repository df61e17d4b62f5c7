function mm(A: Float64Array, B: Float64Array, r: number, m: number, c: number): Float64Array {
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) {
    const oi = i * c;
    for (let k = 0; k < m; k++) {
      const aik = A[i * m + k];
      const bk = k * c;
      for (let j = 0; j < c; j++) out[oi + j] += aik * B[bk + j];
    }
  }
  return out;
}
const A = Float64Array.from({ length: 512 * 768 }, Math.random);
const B = Float64Array.from({ length: 768 * 64 }, Math.random);
const B2 = Float64Array.from({ length: 768 * 768 }, Math.random);
for (let r = 0; r < 5; r++) {
  let t = performance.now(); mm(A, B, 512, 768, 64); const t1 = performance.now() - t;
  t = performance.now(); mm(A, B2, 512, 768, 768); const t2 = performance.now() - t;
  console.log('c=64', t1.toFixed(1), 'ms', (2 * 512 * 768 * 64 / t1 / 1e6).toFixed(2), 'GFLOP/s;  c=768', t2.toFixed(1), (2 * 512 * 768 * 768 / t2 / 1e6).toFixed(2));
}
