import { describe, expect, it } from 'vitest';
import { projectTex } from './ProjectStep.tsx';

describe('the projections formula', () => {
  it('is the article’s without biases, and adds the model’s bias term on each projection that has one', () => {
    expect(projectTex(false, { q: false, k: false, v: false })).toBe('Q = XW^Q,\\quad K = XW^K,\\quad V = XW^V');
    expect(projectTex(true, { q: true, k: true, v: false })).toBe('Q^{h} = XW_Q^{h} + \\mathbf{1}b_Q^{h},\\quad K^{h} = XW_K^{h} + \\mathbf{1}b_K^{h},\\quad V^{h} = XW_V^{h}');
  });
});
