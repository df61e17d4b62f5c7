import { referenceAttention } from '../reference.ts';
import { randomInput } from '../test-utils.ts';
const [n, d, h, dk] = (process.argv[2] ?? '512,768,12,64').split(',').map(Number);
const inp = randomInput('x', { n, d, h, dk, dOut: d });
for (let r = 0; r < 4; r++) { const t = performance.now(); referenceAttention(inp); console.log((performance.now() - t).toFixed(0)); }
const noWo = { ...inp, Wo: null };
for (let r = 0; r < 2; r++) { const t = performance.now(); referenceAttention(noWo); console.log('noWo', (performance.now() - t).toFixed(0)); }
