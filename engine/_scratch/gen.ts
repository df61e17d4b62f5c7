import { writeFileSync } from 'node:fs';
import { gaussians } from '../seeded.ts';
const [n, d, h, dk] = process.argv[2].split(',').map(Number);
const rows = (r: number, c: number, k: string, s: number) => { const g = gaussians(k, r * c, s); return Array.from({ length: r }, (_, i) => Array.from(g.subarray(i * c, (i + 1) * c))); };
writeFileSync(process.argv[3], JSON.stringify({ X: rows(n, d, 'X', 1), heads: Array.from({ length: h }, (_, k) => ({ Wq: rows(d, dk, 'q' + k, 0.2), Wk: rows(d, dk, 'k' + k, 0.2), Wv: rows(d, dk, 'v' + k, 0.2) })), Wo: rows(h * dk, d, 'o', 0.1), causal: true }));
