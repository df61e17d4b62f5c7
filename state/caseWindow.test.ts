// A case exported with a local window and a tile size comes back with both: Download case → import (the
// app), → the engine's parseCase (the command line), and through the Embed dialog's element snippet →
// the widget's attributes. The round trip is checked on the computed attention, not only on the fields.
import { describe, expect, it } from 'vitest';
import { computeAttention } from '../engine/attention.ts';
import { inputToCaseJson } from '../engine/json.ts';
import { buildInput } from '../engine/scenario.ts';
import { parseCase } from '../engine/validate.ts';
import { elementSnippet } from '../app/embedSnippet.ts';
import { applyAttributes, ATTRIBUTES, type AttributeName, type Attributes } from '../widget/attributes.ts';
import { admitCase } from './caseImport.ts';
import { DEFAULT_DOC, normalizeDoc, type DocState } from './document.ts';
import { createAppStore } from './store.ts';
import { tokenizeText } from './tokens.ts';

const tokens = tokenizeText('the cat sat on the warm mat', 'words');
const windowed: DocState = normalizeDoc({ ...DEFAULT_DOC, text: 'the cat sat on the warm mat', tokens, keyWeights: tokens.map(() => 1), padding: tokens.map(() => false), causal: true, window: 3, tile: 2 });

/** The attributes of the snippet's <attention-lab> element, as the browser would read them. */
function snippetAttributes(snippet: string): Attributes {
  const tag = /<attention-lab ([^>]*)><\/attention-lab>/.exec(snippet);
  expect(tag, snippet).not.toBeNull();
  const out: Attributes = {};
  for (const m of tag![1].matchAll(/([a-z-]+)(?:="([^"]*)")?/g)) {
    expect(ATTRIBUTES).toContain(m[1]);
    out[m[1] as AttributeName] = (m[2] ?? '').replace(/&lt;/g, '<').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  }
  return out;
}

describe('a case with a local window and a tile size', () => {
  const input = buildInput(windowed);
  const json = JSON.parse(JSON.stringify(inputToCaseJson(input, windowed.tokens, windowed.tile))) as unknown;

  it('is exported with both', () => {
    expect(input.window).toBe(3);
    expect(json).toMatchObject({ causal: true, window: 3, tile: 2 });
  });

  it('reads back in the engine with the window: the same banded attention', async () => {
    const back = parseCase(json);
    expect(back.window).toBe(3);
    const [a, b] = await Promise.all([computeAttention(input), computeAttention(back)]);
    // Row 5 sees keys 3…5 only; the round trip computes the very same map.
    expect(Array.from(b.heads[0].A.data.subarray(5 * tokens.length, 5 * tokens.length + 3))).toEqual([0, 0, 0]);
    b.heads[0].A.data.forEach((x, k) => expect(Math.abs(x - a.heads[0].A.data[k])).toBeLessThan(1e-6));
  });

  it('imports into the app with its window and tile size (and undo brings back the document before)', () => {
    const store = createAppStore();
    const before = store.getState().doc;
    expect(store.getState().actions.importCase(JSON.stringify(json), 'file', 'case.json')).toBe(true);
    const doc = store.getState().doc;
    expect([doc.source.kind, doc.causal, doc.window, doc.tile]).toEqual(['case', true, 3, 2]);
    store.getState().actions.undo();
    expect([store.getState().doc.window, store.getState().doc.tile]).toEqual([before.window, before.tile]);
  });

  it('an old case without them imports with none', () => {
    const old = { ...(json as Record<string, unknown>) };
    delete old.window;
    delete old.tile;
    const store = createAppStore();
    store.getState().actions.setTile(4);
    expect(store.getState().actions.importCase(JSON.stringify(old), 'paste')).toBe(true);
    expect([store.getState().doc.window, store.getState().doc.tile]).toEqual([null, null]);
  });

  it('refuses a window without the causal mask and a bad tile size, naming the field', () => {
    expect(() => parseCase({ ...(json as object), causal: false })).toThrow('window: a local-attention window needs causal attention (causal is false)');
    expect(() => parseCase({ ...(json as object), window: 0 })).toThrow('window: expected a positive whole number or null, got 0');
    const bad = admitCase({ ...(json as object), tile: 1.5 }, 'en');
    expect(bad).toEqual({ ok: false, problem: 'tile: expected a whole number 1…1024 (the Steps view’s tile size) or null, got 1.5' });
    expect(admitCase({ ...(json as object), tile: '2' }, 'zh')).toMatchObject({ ok: false, problem: expect.stringContaining('分块大小') as unknown });
  });
});

describe('the Embed dialog’s element snippet carries the window and the tile size', () => {
  it('seeded weights: window and tile attributes → the widget’s document has both', () => {
    const attrs = snippetAttributes(elementSnippet(windowed));
    expect(attrs).toMatchObject({ causal: '', window: '3', tile: '2' });
    const { doc, errors } = applyAttributes(attrs, DEFAULT_DOC, DEFAULT_DOC);
    expect(errors).toEqual([]);
    expect([doc.causal, doc.window, doc.tile, doc.tokens]).toEqual([true, 3, 2, tokens]);
  });

  it('without them the widget has none; a case names its file, which carries them', () => {
    const plain = snippetAttributes(elementSnippet({ ...windowed, window: null, tile: null }));
    expect(plain.window).toBeUndefined();
    expect(applyAttributes(plain, { ...DEFAULT_DOC, window: 5, tile: 5 }, DEFAULT_DOC).doc).toMatchObject({ window: null, tile: null });
    const asCase = snippetAttributes(elementSnippet({ ...windowed, source: { kind: 'case', case: inputToCaseJson(buildInput(windowed), tokens, 2) } }));
    expect(asCase).toMatchObject({ src: 'case.json' });
    expect(asCase.window).toBeUndefined();
  });

  it('the widget words a bad window or tile and keeps the field as it was', () => {
    const kept = { ...DEFAULT_DOC, causal: true, window: 4, tile: 3 };
    const bad = applyAttributes({ causal: '', window: '0', tile: 'x' }, kept, DEFAULT_DOC, 'en');
    expect([bad.doc.window, bad.doc.tile]).toEqual([4, 3]);
    expect(bad.errors).toEqual(['attention-lab: window: expected a whole number from 1 to 1024, got "0"', 'attention-lab: tile: expected a whole number from 1 to 1024, got "x"']);
    const noMask = applyAttributes({ window: '2' }, DEFAULT_DOC, DEFAULT_DOC, 'zh');
    expect(noMask.doc.window).toBeNull();
    expect(noMask.errors).toEqual(['attention-lab：window：局部窗口需要因果掩码（请加上 causal 属性）']);
  });
});
