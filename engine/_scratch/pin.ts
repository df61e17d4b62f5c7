import { tokenEmbedding, uniformStream, seededMatrix } from '../seeded.ts';
const u = uniformStream('pin');
console.log([u(), u(), u()]);
console.log(Array.from(tokenEmbedding('the', 4, 1)));
console.log(Array.from(seededMatrix(2, 2, 1, 'h0.Wq', 1).data));
