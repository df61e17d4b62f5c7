import { shortFloat32 } from '../json.ts';
const a = new Float32Array(1 << 20); for (let i = 0; i < a.length; i++) a[i] = Math.random() * 2 - 1;
let t = performance.now(); let s = 0; for (let i = 0; i < a.length; i++) s += shortFloat32(a[i]); console.log('short', ((performance.now() - t) / a.length * 1e6).toFixed(0), 'ns/num');
t = performance.now(); let len = 0; for (let i = 0; i < a.length; i++) len += String(a[i]).length; console.log('String', ((performance.now() - t) / a.length * 1e6).toFixed(0), 'ns/num', len / a.length);
t = performance.now(); len = 0; for (let i = 0; i < a.length; i++) len += String(shortFloat32(a[i])).length; console.log('short+String', ((performance.now() - t) / a.length * 1e6).toFixed(0), 'ns/num', len / a.length, s > 0);
