import * as tf from '@tensorflow/tfjs';
import { computeAttention } from '../attention.ts';
import { randomInput } from '../test-utils.ts';
console.log('before', tf.engine().backendName);
const r = await computeAttention(randomInput('a', { n: 2, d: 2, h: 1, dk: 2 }));
console.log(r.backend);
await tf.setBackend('cpu');
console.log((await computeAttention(randomInput('a', { n: 2, d: 2, h: 1, dk: 2 }))).backend);
