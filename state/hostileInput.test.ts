// Structure-aware fuzzing of every door untrusted documents come through: links (decodeState), case
// files and pasted JSON (the importer), and the /embed query. Arbitraries build near-valid states and
// cases, then mutate fields, types and sizes: nothing may throw, and every refusal names what is wrong.
// Also: encode and decode accept exactly the same documents (a round trip over what the importer takes).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { CaseJson } from '../engine/types.ts';
import { readEmbedQuery } from '../widget/embedQuery.ts';
import { toBase64Url } from './b64.ts';
import { admitCaseText } from './caseImport.ts';
import { DEFAULT_DOC, UI_LIMITS, normalizeDoc, type DocState } from './document.ts';
import { createAppStore } from './store.ts';
import { tokenizeText } from './tokens.ts';
import { decodeState, encodeState } from './urlState.ts';

const base: DocState = normalizeDoc({ ...DEFAULT_DOC, text: 'keep my work', tokens: tokenizeText('keep my work', 'words') });

// ------------------------------------------------------------------------------------------------
// Arbitraries

const num = fc.oneof(fc.double({ min: -5, max: 5, noNaN: true }), fc.integer({ min: -3, max: 3 }));
const rows = (r: number, c: number) => fc.array(fc.array(num, { minLength: c, maxLength: c }), { minLength: r, maxLength: r });
/** Token labels with the characters links escape or split on. */
const label = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('|', '\\', '&', '=', '#', '%', '+', '%E0', ' ', '你好', '<b>x</b>', 'a|b\\c'));

const validCase: fc.Arbitrary<CaseJson> = fc
  .record({ n: fc.integer({ min: 1, max: 5 }), d: fc.integer({ min: 1, max: 3 }), h: fc.integer({ min: 1, max: 3 }), dk: fc.integer({ min: 1, max: 3 }) })
  .chain(({ n, d, h, dk }) =>
    fc.record(
      {
        X: rows(n, d),
        heads: fc.array(fc.record({ Wq: rows(d, dk), Wk: rows(d, dk), Wv: rows(d, dk) }), { minLength: h, maxLength: h }),
        Wo: fc.option(rows(h * dk, d), { nil: null }),
        scale: fc.option(fc.double({ min: 0.01, max: 10, noNaN: true }), { nil: null }),
        causal: fc.boolean(),
        // Any weight the engine accepts, far beyond the slider's 0–10.
        keyWeights: fc.option(fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1e6, noNaN: true })), { minLength: n, maxLength: n }), { nil: null }),
        tokens: fc.array(label, { minLength: n, maxLength: n }),
      },
      { requiredKeys: ['X', 'heads'] },
    ),
  );

/** Values of the wrong type or size, including objects whose toString is not callable. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.anything({ maxDepth: 2 }), weight: 1 },
  {
    arbitrary: fc.constantFrom<unknown>({ toString: 1 }, { toString: null, valueOf: 1 }, [{ toString: 1 }], 1e39, -1e39, 1e308, -0, '', '1', [[]], [[1, 2], [1]], [null], null, true),
    weight: 3,
  },
  { arbitrary: fc.array(fc.constant([1]), { minLength: 1025, maxLength: 1030 }), weight: 1 },
);

/** A valid case with one field (at any depth) replaced by a hostile value. */
const mutatedCase: fc.Arbitrary<unknown> = fc.tuple(validCase, hostileValue, fc.nat(), fc.nat()).map(([c, bad, pick, pick2]) => {
  const copy = JSON.parse(JSON.stringify(c)) as Record<string, unknown>;
  const fields = ['X', 'heads', 'Wo', 'scale', 'causal', 'keyWeights', 'tokens', 'heads.0.Wq', 'heads.0.Wk', 'X.0', 'X.0.0', 'tokens.0', 'keyWeights.0'];
  const path = fields[pick % fields.length].split('.');
  let at: Record<string, unknown> | unknown[] = copy;
  for (const step of path.slice(0, -1)) {
    const next = (at as Record<string, unknown>)[step];
    if (typeof next !== 'object' || next === null) return copy;
    at = next as Record<string, unknown>;
  }
  const last = path[path.length - 1];
  if (pick2 % 5 === 0) delete (at as Record<string, unknown>)[last];
  else (at as Record<string, unknown>)[last] = bad;
  return copy;
});

/** A link's fields as the encoder writes them, then mutated: values replaced, keys dropped or repeated. */
const validDoc: fc.Arbitrary<DocState> = fc
  .record({
    text: fc.string({ minLength: 1, maxLength: 30 }).filter((s) => tokenizeText(s, 'words').length > 0),
    h: fc.integer({ min: 1, max: 4 }),
    causal: fc.boolean(),
    seed: fc.nat(),
    head: fc.nat(3),
  })
  .map(({ text, h, causal, seed, head }) => normalizeDoc({ ...DEFAULT_DOC, text, tokens: tokenizeText(text, 'words'), h, d: 4 * h, causal, seed, head }));

const hostileString = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom('%', '%E0', '%E0%A4%A', '-1', '1e999', 'NaN', '', ',,,', '1,2,x', '0.0.0', 'X.0.0:1e39', 'X.0.0:1e300', '0.Wq.0.0:-3.5e38', 'X.0.0:1,X.0.1:-1e300', '99.Wq.0.0:1', '\u0000', 'a'.repeat(5000)),
  validCase.map((c) => toBase64Url(JSON.stringify(c))),
  mutatedCase.map((c) => toBase64Url(JSON.stringify(c))),
);
const KEYS = ['v', 'view', 'mech', 'conv', 'h', 'd', 'dk', 'seed', 'causal', 'mode', 'text', 'tok', 'w', 'pad', 'ov', 'head', 'cell', 'step', 'src', 'case', 'model', 'layer', 'lang', 'bogus'];

const mutatedLink: fc.Arbitrary<string> = fc
  .tuple(validDoc, fc.array(fc.tuple(fc.constantFrom(...KEYS), hostileString, fc.constantFrom('set', 'drop', 'repeat', 'raw')), { minLength: 1, maxLength: 4 }))
  .map(([doc, edits]) => {
    let parts = encodeState(doc).split('&');
    for (const [key, value, how] of edits) {
      const pair = `${key}=${how === 'raw' ? value : encodeURIComponent(value)}`;
      if (how === 'drop') parts = parts.filter((p) => !p.startsWith(`${key}=`));
      else if (how === 'repeat') parts.push(pair);
      else parts = [...parts.filter((p) => !p.startsWith(`${key}=`)), pair];
    }
    return parts.join('&');
  });

/** A link that embeds a mutated case, on top of a mutated link. */
const caseLink: fc.Arbitrary<string> = fc
  .tuple(mutatedLink, mutatedCase)
  .map(([link, c]) => `${link.split('&').filter((p) => !/^(src|case)=/.test(p)).join('&')}&src=case&case=${toBase64Url(JSON.stringify(c))}`);
const anyLink = fc.oneof(mutatedLink, caseLink);

// ------------------------------------------------------------------------------------------------
// What every accepted document must satisfy

function expectConsistent(doc: DocState): void {
  const n = doc.tokens.length;
  expect(n).toBeGreaterThan(0);
  expect(n).toBeLessThanOrEqual(UI_LIMITS.maxTokens);
  expect(doc.tokens.every((t) => typeof t === 'string')).toBe(true);
  expect(doc.keyWeights).toHaveLength(n);
  expect(doc.keyWeights.every((w) => Number.isFinite(w) && w >= 0)).toBe(true);
  expect(doc.padding).toHaveLength(n);
  // Within float32 (the largest float32 is (2 − 2⁻²³)·2¹²⁷), as docs/security.md promises for every edited number.
  expect(Object.values(doc.overrides).every((v) => Math.abs(v) <= (2 - 2 ** -23) * 2 ** 127)).toBe(true);
  if (doc.source.kind === 'case') expect(admitCaseText(JSON.stringify(doc.source.case)).ok).toBe(true);
}

describe('links: structure-aware fuzzing of decodeState', () => {
  it('never throws; rejects with named messages; what it accepts is consistent', () => {
    fc.assert(
      fc.property(anyLink, (hash) => {
        const r = decodeState(hash, base);
        expect(r.errors.every((e) => typeof e === 'string' && e.startsWith('Link: '))).toBe(true);
        if (r.doc) expectConsistent(r.doc);
      }),
      { numRuns: 600, seed: 4242 },
    );
  });

  it('a case whose token is an object with a non-callable toString is named, not thrown', () => {
    const c = { X: [[1], [2]], heads: [{ Wq: [[1]], Wk: [[1]], Wv: [[1]] }], tokens: ['a', { toString: 1 }] };
    const r = decodeState(`src=case&case=${toBase64Url(JSON.stringify(c))}`, base);
    expect(r.errors).toEqual(['Link: case: tokens: expected 2 strings (one per row of X)']);
    expect(r.doc?.source).toEqual({ kind: 'seeded' });
    expect(r.doc?.tokens).toEqual(base.tokens);
  });

  it('an edited number beyond float32 (ov=X.0.0:1e300) is refused by name; the largest float32 passes', () => {
    expect(decodeState('ov=X.0.0:1e300', base)).toEqual({ doc: expect.objectContaining({ overrides: {} }), errors: ['Link: the edited number “X.0.0:1e300” is beyond float32 (expected a number within ±3.4e38)'] });
    expect(decodeState('ov=X.0.0:-3.4028236e38', base).errors).toHaveLength(1);
    const r = decodeState('ov=X.0.0:-3.4028234663852886e38,X.0.1:0.5', base);
    expect(r.errors).toEqual([]);
    expect(r.doc?.overrides).toEqual({ 'X[0][0]': -3.4028234663852886e38, 'X[0][1]': 0.5 });
  });

  it('130,000 characters without spaces in chars mode: the token limit, not a stack overflow', () => {
    expect(decodeState(`mode=chars&text=${'ab'.repeat(65_000)}`, base).errors).toEqual(['Link: 130000 tokens; the limit is 1024']);
  });

  it('links get the import limits: too many tokens or heads in a case are refused by name', () => {
    const many = { X: Array.from({ length: UI_LIMITS.maxTokens + 1 }, () => [1]), heads: [{ Wq: [[1]], Wk: [[1]], Wv: [[1]] }] };
    expect(decodeState(`src=case&case=${toBase64Url(JSON.stringify(many))}`, base).errors).toEqual([`Link: case: X has ${UI_LIMITS.maxTokens + 1} rows; the app shows at most ${UI_LIMITS.maxTokens} tokens`]);
    const heads = { X: [[1]], heads: Array.from({ length: UI_LIMITS.maxHeads + 1 }, () => ({ Wq: [[1]], Wk: [[1]], Wv: [[1]] })) };
    expect(decodeState(`src=case&case=${toBase64Url(JSON.stringify(heads))}`, base).errors).toEqual([`Link: case: ${UI_LIMITS.maxHeads + 1} heads; the app shows at most ${UI_LIMITS.maxHeads}`]);
  });
});

describe('case files and pasted JSON: structure-aware fuzzing of the importer', () => {
  it('never throws; a refusal is one named notice and the document stays as it was', () => {
    const store = createAppStore();
    store.getState().actions.replaceDoc(base, false);
    fc.assert(
      fc.property(mutatedCase, (c) => {
        const before = store.getState().doc;
        const ok = store.getState().actions.importCase(JSON.stringify(c), 'paste');
        const notices = store.getState().notices.filter((x) => x.area === 'file');
        expect(notices).toHaveLength(1);
        if (ok) {
          expectConsistent(store.getState().doc);
          store.getState().actions.replaceDoc(base, false);
        } else {
          expect(notices[0].kind).toBe('error');
          expect(notices[0].text).toMatch(/^Pasted JSON: .+/);
          expect(store.getState().doc).toBe(before);
        }
      }),
      { numRuns: 400, seed: 99 },
    );
  });
});

describe('/embed: structure-aware fuzzing of the query', () => {
  it('a malformed escape (/embed?%E0=1) is read, not thrown', () => {
    const q = readEmbedQuery('?%E0=1', base);
    expect(q.messages).toEqual(['Link: unknown setting “%E0” ignored']);
    expect(q.doc).toEqual(base);
    expect(() => readEmbedQuery('?text=%E0%A4%A&theme=%&lang=%E0', base)).not.toThrow();
  });

  it('never throws on mutated queries; the page options fall back with a message', () => {
    const own = fc.tuple(fc.constantFrom('theme', 'lang', 'height', 'edit'), hostileString).map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
    fc.assert(
      fc.property(anyLink, fc.array(own, { maxLength: 3 }), (link, extra) => {
        const q = readEmbedQuery(`?${[link, ...extra].join('&')}`, base);
        expect(q.messages.every((m) => typeof m === 'string' && m.length > 0)).toBe(true);
        expectConsistent(q.doc);
        expect(['light', 'dark', 'auto']).toContain(q.theme);
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});

describe('links carry exactly what the importer accepts', () => {
  /** Documents compared as JSON (a link writes −0 as 0; the engine computes the same either way). */
  const same = (a: DocState, b: DocState) => expect(JSON.parse(JSON.stringify(b))).toEqual(JSON.parse(JSON.stringify(a)));

  it('import → link → open the link: the same document, no message', () => {
    fc.assert(
      fc.property(validCase, fc.nat(3), fc.constantFrom<DocState['view']>('heads', 'lines', 'matrices', 'steps'), (c, head, view) => {
        const store = createAppStore();
        store.getState().actions.replaceDoc(base, false);
        expect(store.getState().actions.importCase(JSON.stringify(c), 'file', 'case.json')).toBe(true);
        store.getState().actions.setView(view);
        store.getState().actions.selectHead(Math.min(head, c.heads.length - 1));
        const doc = store.getState().doc;
        const r = decodeState(encodeState(doc), base);
        expect(r.errors).toEqual([]);
        same(doc, r.doc!);
      }),
      { numRuns: 300, seed: 20261130 },
    );
  });

  it('seeded documents with edits (weights, padding, numbers, tokens) round-trip too', () => {
    fc.assert(
      fc.property(
        validDoc,
        fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1e6, noNaN: true })), { minLength: 1, maxLength: 40 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 40 }),
        fc.dictionary(fc.constantFrom('X[0][0]', 'X[1][2]', 'heads[0].Wq[0][1]', 'heads[0].Wv[3][0]'), fc.double({ min: -3e38, max: 3e38, noNaN: true })),
        fc.array(label, { minLength: 1, maxLength: 5 }),
        (doc, w, pad, ov, tokens) => {
          const edited = normalizeDoc({ ...doc, mechanism: 'weighted', tokens, keyWeights: tokens.map((_, i) => w[i % w.length]), padding: tokens.map((_, i) => pad[i % pad.length]), overrides: ov });
          const r = decodeState(encodeState(edited), base);
          expect(r.errors).toEqual([]);
          same(edited, r.doc!);
        },
      ),
      { numRuns: 300, seed: 5 },
    );
  });
});
