import { describe, expect, it } from 'vitest';
import katex from 'katex';
import type { AttentionInput, HeadResult, Matrix } from '../../engine/types.ts';
import { rotaryView, ropeTex } from './rotary.ts';

const m = (rows: number, cols: number): Matrix => ({ rows, cols, data: new Float32Array(rows * cols) });
const head = (pre: boolean): HeadResult => ({ Q: m(2, 8), K: m(2, 8), V: m(2, 8), scores: m(2, 2), A: m(2, 2), Z: m(2, 8), ...(pre ? { Qpre: m(2, 8), Kpre: m(2, 8) } : {}) });
const input = (rotary: AttentionInput['rotary']) => ({ rotary }) as AttentionInput;

describe('rotary view', () => {
  it('exists only when the input rotates and the head kept q and k from before the rotation', () => {
    expect(rotaryView(input({ dims: 8, theta: 10000 }), head(true))?.dims).toBe(8);
    expect(rotaryView(input(null), head(true))).toBeNull();
    expect(rotaryView(input({ dims: 8, theta: 10000 }), head(false))).toBeNull();
  });
  it('writes the rotate-half formula as valid TeX, noting coordinates left unrotated', () => {
    const full = ropeTex(rotaryView(input({ dims: 8, theta: 10000 }), head(true))!, 8, '');
    expect(full).toContain('x_{5}');
    expect(full).not.toContain('unchanged');
    const part = ropeTex(rotaryView(input({ dims: 4, theta: 500000 }), head(true))!, 8, '^{2}');
    expect(part).toContain('unchanged');
    for (const tex of [full, part]) expect(() => katex.renderToString(tex, { throwOnError: true })).not.toThrow();
  });
});
