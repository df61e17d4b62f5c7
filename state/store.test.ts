import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { alignTokens, createAppStore, inputTokens, type AppStore, type Computed } from './store.ts';
import { decodeState } from './urlState.ts';
import { setLang, t } from '../i18n/index.ts';
import { DEFAULT_TEXTS, limitProblem } from './document.ts';
import { EXAMPLES, exampleWithText, examplesFor } from './examples.ts';

// A fresh store for every test (there is no global one).
let useStore: AppStore = createAppStore();
const A = () => useStore.getState().actions;
const doc = () => useStore.getState().doc;

beforeEach(() => {
  useStore = createAppStore();
  A().setText('a b c d');
  useStore.setState({ past: [], future: [] });
});

describe('token edits carry per-token settings', () => {
  it('moveToken moves weights, padding, X-row edits and the selected cell with the token', () => {
    A().setMechanism('weighted');
    A().setKeyWeight(0, 0.5);
    A().togglePadding(1);
    A().setOverride('X[0][2]', 7);
    A().setOverride('heads[0].Wq[0][0]', 3);
    A().selectCell({ row: 0, col: 1 });
    expect(A().moveToken(0, 2)).toBeNull();
    expect(doc().tokens).toEqual(['b', 'c', 'a', 'd']);
    expect(doc().keyWeights).toEqual([1, 1, 0.5, 1]);
    expect(doc().padding).toEqual([true, false, false, false]);
    expect(doc().overrides).toEqual({ 'X[2][2]': 7, 'heads[0].Wq[0][0]': 3 });
    expect(doc().cell).toEqual({ row: 2, col: 0 });
    expect(doc().text).toBe('b c a d');
  });

  it('insertToken and deleteToken shift what follows', () => {
    A().setMechanism('weighted');
    A().setKeyWeight(2, 0);
    A().setOverride('X[3][0]', 1);
    A().insertToken(1, 'new');
    expect(doc().tokens).toEqual(['a', 'new', 'b', 'c', 'd']);
    expect(doc().keyWeights).toEqual([1, 1, 1, 0, 1]);
    expect(doc().overrides).toEqual({ 'X[4][0]': 1 });
    A().deleteToken(3);
    expect(doc().tokens).toEqual(['a', 'new', 'b', 'd']);
    expect(doc().keyWeights).toEqual([1, 1, 1, 1]);
    expect(doc().overrides).toEqual({ 'X[3][0]': 1 });
  });

  it('typing in the middle keeps the settings of the tokens before and after', () => {
    A().setMechanism('weighted');
    A().setKeyWeight(0, 0.1);
    A().setKeyWeight(3, 0.4);
    A().setText('a b x y c d');
    expect(doc().tokens).toEqual(['a', 'b', 'x', 'y', 'c', 'd']);
    expect(doc().keyWeights).toEqual([0.1, 1, 1, 1, 1, 0.4]);
  });

  it('refuses bad edits with a message and changes nothing', () => {
    const before = doc();
    expect(A().editToken(1, '')).toBe('Token 2: a token cannot be empty (use Delete to remove it)');
    expect(A().setHeads(40)).toBe('Must be a whole number from 1 to 16, got 40');
    expect(A().setHeads(3)).toMatch(/^d = 16 is not divisible by h = 3/);
    expect(A().setD(0)).toBe('Must be a whole number from 1 to 512, got 0');
    expect(A().setKeyWeight(0, -1)).toBe('Key 1: a weight must be from 0 to 10, got -1');
    expect(A().setOverride('X[0][0]', Infinity)).toBe('Edit: X[0][0] must be a finite number within ±3.4e38 (float32), got Infinity');
    expect(A().setOverride('X[0][0]', 1e39)).toBe('Edit: X[0][0] must be a finite number within ±3.4e38 (float32), got 1e+39');
    expect(doc()).toBe(before);
  });

  it('never deletes the last token', () => {
    A().setText('solo');
    expect(A().deleteToken(0)).toBe('The last token cannot be deleted: attention needs at least one token.');
    expect(doc().tokens).toEqual(['solo']);
  });
});

describe('undo and redo', () => {
  it('undoes and redoes edits in order', () => {
    A().setCausal(true);
    A().setSeed(7);
    A().deleteToken(0);
    A().undo();
    expect(doc().tokens).toEqual(['a', 'b', 'c', 'd']);
    A().undo();
    expect(doc().seed).toBe(42);
    expect(doc().causal).toBe(true);
    A().redo();
    expect(doc().seed).toBe(7);
    A().redo();
    expect(doc().tokens).toEqual(['b', 'c', 'd']);
    expect(useStore.getState().future).toHaveLength(0);
  });

  // The clock stands still unless a test moves it: a busy machine's pause between two lines must not split a burst.
  beforeEach(() => vi.useFakeTimers({ toFake: ['Date'] }));
  afterEach(() => vi.useRealTimers());
  it('undoes the window, the tile size and the shift, each its own step', () => {
    A().setCausal(true);
    expect(A().setWindow(2)).toBeNull();
    expect(A().setTile(3)).toBeNull();
    expect(A().setWindow(0)).toBe('Must be a whole number from 1 to 1024, got 0');
    expect(A().setShift(5)).toBeNull(); // not a model: nothing to shift
    expect(doc().shift).toBe(0);
    A().undo();
    expect(doc().tile).toBeNull();
    expect(doc().window).toBe(2);
    A().undo();
    expect(doc().window).toBeNull();
    A().redo();
    A().redo();
    expect([doc().window, doc().tile]).toEqual([2, 3]);
  });

  it('merges a burst of typing into one step but not separate kinds of edit', () => {
    A().setText('a b c d e');
    A().setText('a b c d e f');
    A().setCausal(true);
    A().undo();
    expect(doc().causal).toBe(false);
    expect(doc().tokens).toHaveLength(6);
    A().undo();
    expect(doc().tokens).toEqual(['a', 'b', 'c', 'd']);
  });

  it('ticks of ablated heads and "Ablate none" are steps of their own, however quickly they follow', () => {
    A().useModel('brown-char');
    for (const head of [0, 1, 2]) A().toggleAblation({ layer: 1, head });
    A().setAblation([]);
    A().undo();
    expect(doc().ablate).toEqual([0, 1, 2].map((head) => ({ layer: 1, head })));
    A().undo();
    expect(doc().ablate).toEqual([0, 1].map((head) => ({ layer: 1, head })));
  });

  it('typing again after a pause is a step of its own', () => {
    A().setText('a b c d e');
    vi.advanceTimersByTime(60_000);
    A().setText('a b c d e f');
    A().undo();
    expect(doc().tokens).toHaveLength(5);
  });

  it('does not record looking around (head, cell, view, step)', () => {
    A().setView('steps');
    A().selectCell({ row: 1, col: 1 });
    A().setStep(2);
    expect(useStore.getState().past).toHaveLength(0);
  });
});

describe('importCase', () => {
  const good = JSON.stringify({
    X: [
      [1, 0],
      [0, 1],
    ],
    heads: [{ Wq: [[1], [0]], Wk: [[1], [0]], Wv: [[1], [1]] }],
    keyWeights: [1, 0],
    causal: true,
  });

  it('switches the source, labels tokens t0…, and keeps causal/weights from the case', () => {
    expect(A().importCase(good, 'paste')).toBe(true);
    const d = doc();
    expect(d.source.kind).toBe('case');
    expect(d.tokens).toEqual(['t0', 't1']);
    expect(d.keyWeights).toEqual([1, 0]);
    expect(d.causal).toBe(true);
    expect(d.mechanism).toBe('weighted');
    expect(A().insertToken(0, 'x')).toMatch(/fixes the tokens/);
    expect(A().editToken(0, 'first')).toBeNull();
    expect(doc().tokens).toEqual(['first', 't1']);
    A().useSeeded();
    expect(doc().source.kind).toBe('seeded');
  });

  it('reports JSON and CaseError problems by name and keeps the document', () => {
    const before = doc();
    expect(A().importCase('{"X": [[1, 2]', 'file', 'bad.json')).toBe(false);
    expect(useStore.getState().notices.at(-1)?.text).toMatch(/^File bad\.json: not valid JSON \(/);
    expect(A().importCase(JSON.stringify({ X: [[1, 2]], heads: [{ Wq: [[1]], Wk: [[1]], Wv: [[1]] }] }), 'paste')).toBe(false);
    expect(useStore.getState().notices.at(-1)?.text).toMatch(/^Pasted JSON: heads\[0\]\.Wq: expected 2×1, got 1×1/);
    expect(A().importCase(JSON.stringify({ ...JSON.parse(good), tokens: ['only one'] }), 'paste')).toBe(false);
    expect(useStore.getState().notices.at(-1)?.text).toBe('Pasted JSON: tokens: expected 2 strings (one per row of X)');
    expect(doc()).toBe(before);
  });
});

describe('alignTokens', () => {
  it('maps a common prefix and suffix and drops the changed middle', () => {
    const map = alignTokens(['a', 'b', 'c', 'd'], ['a', 'x', 'c', 'd']);
    expect([0, 1, 2, 3].map(map)).toEqual([0, null, 2, 3]);
    const grow = alignTokens(['a', 'b'], ['a', 'n', 'b']);
    expect([0, 1].map(grow)).toEqual([0, 2]);
  });
});

describe('trained-model source', () => {
  it('reads the text character by character and refuses multi-character tokens', () => {
    A().setText('hi there');
    A().useModel('brown-char');
    expect(doc().source).toEqual({ kind: 'model', model: 'brown-char' });
    expect(doc().tokens).toEqual(['h', 'i', ' ', 't', 'h', 'e', 'r', 'e']);
    expect(doc().causal).toBe(true);
    A().setText('a😀b');
    expect(doc().tokens).toEqual(['a', '😀', 'b']); // one code point each, the emoji kept (unknown to the model)
    expect(A().editToken(0, 'ab')).toMatch(/one character per token/);
    expect(A().insertToken(1, 'xy')).toMatch(/one character per token/);
    expect(A().editToken(0, 'z')).toBeNull();
    expect(doc().tokens).toEqual(['z', '😀', 'b']);
  });

  it('goes back to seeded weights with the same text, undoably', () => {
    A().setText('a b');
    A().useModel('brown-char');
    A().useSeeded();
    expect(doc().source).toEqual({ kind: 'seeded' });
    expect(doc().text).toBe('a b');
    A().undo();
    expect(doc().source).toEqual({ kind: 'model', model: 'brown-char' });
  });

  it('shows the selected layer of a multi-layer result and clamps layer and head to it', () => {
    A().setText('ab');
    A().useModel('brown-char');
    A().selectLayerHead(1, 3); // before any result: taken on trust (a lesson opens a model at a layer)
    const layer = (k: number) => {
      const A = { rows: 2, cols: 2, data: new Float32Array([1, 0, 0.5, 0.5]) };
      const Z = { rows: 2, cols: 1, data: new Float32Array([k, k]) };
      const heads = [0, 1].map(() => ({ Q: Z, K: Z, V: Z, scores: A, A, Z }));
      return {
        input: { X: Z, heads: [], Wo: null, scale: null, causal: true, keyWeights: null },
        result: { heads, Z, out: null, scale: 1, warnings: [], backend: 'test' },
      };
    };
    const shown = layer(0);
    A().setComputed({
      id: 1,
      tokens: ['a', 'b'],
      tokenized: null,
      attention: [0, 1].map((k) => layer(k).result.heads.map((h) => h.A)),
      pooled: false,
      layer: 0,
      input: shown.input,
      result: shown.result,
      model: null,
      unknown: [false, false],
      mechanism: 'multi',
      convention: 'standard',
      excludedKeys: [false, false],
      ms: { queue: 0, build: 0, compute: 0, back: 0, roundTrip: 0 },
    });
    const c = () => useStore.getState().computed!;
    // Before the model was known, layer 1 and head 3 were taken on trust; the result says which layer it
    // shows (this one: 0) and clamps the head to the 2 heads that exist.
    expect(doc().layer).toBe(0);
    expect(doc().head).toBe(1);
    A().selectLayerHead(1, 3);
    // The layer is the document's at once; its full detail comes with the next result (the worker's).
    expect(doc().layer).toBe(1);
    expect(c().layer).toBe(0);
    expect(doc().head).toBe(1); // head 3 does not exist: ignored
    A().selectHead(0);
    expect(doc().head).toBe(0);
    A().selectLayer(5); // the model has 2 layers
    expect(doc().layer).toBe(1);
  });

  it('says why a broken model file is refused and keeps the current source', async () => {
    A().setText('ab');
    expect(await A().loadModelFile('{"format":"attention-lab/model-bundle","version":1}', 'm.json')).toBe(false);
    expect(doc().source).toEqual({ kind: 'seeded' });
    const n = useStore.getState().notices.at(-1)!;
    expect(n.kind).toBe('error');
    expect(n.text).toMatch(/^Model file m\.json: bundle\.weights: expected the weights as a base64 string/);
  });

  it('falls back to seeded weights when a model fails after other edits', () => {
    A().setText('ab');
    A().useModel('brown-char');
    A().setText('abc');
    A().modelFailed('brown-char', 'gone');
    expect(doc().source).toEqual({ kind: 'seeded' });
    expect(doc().text).toBe('abc'); // the edit made meanwhile stays
  });

  it('falls back to seeded weights with a message when the model cannot be loaded', () => {
    A().setText('ab');
    A().useModel('brown-char');
    A().modelFailed('brown-char', 'brown-char.bin: HTTP 404 Not Found');
    expect(doc().source).toEqual({ kind: 'seeded' });
    // Straight after the switch, the document is restored as it was (words mode, no mask), with no redo left.
    expect(doc().mode).toBe('words');
    expect(doc().tokens).toEqual(['ab']);
    expect(doc().causal).toBe(false);
    expect(useStore.getState().future).toEqual([]);
    expect(useStore.getState().model.status).toBe('error');
    expect(useStore.getState().notices.at(-1)!.text).toBe('The trained model could not be loaded: brown-char.bin: HTTP 404 Not Found. Showing seeded weights instead.');
  });
});

describe("a checkpoint's tokens", () => {
  // What the worker answers for a checkpoint: its tokenizer's tokens of the text (here 5 pieces of 3 words).
  const PIECES = ['Once', ' up', 'on', ' a', ' time'];
  const answer = (id: number, tokens: string[], text: string): Omit<Computed, 'analysis' | 'analysisError' | 'fromKeptRun'> => {
    const n = tokens.length;
    const M = { rows: n, cols: n, data: new Float32Array(n * n).fill(1 / n) };
    const Z = { rows: n, cols: 1, data: new Float32Array(n) };
    return {
      id,
      tokens,
      tokenized: { model: 'hf:local/tiny', text },
      attention: [[M]],
      pooled: false,
      layer: 0,
      input: { X: Z, heads: [], Wo: null, scale: null, causal: true, keyWeights: null },
      result: { heads: [{ Q: Z, K: Z, V: Z, scores: M, A: M, Z }], Z, out: null, scale: 1, warnings: [], backend: 'test' },
      model: null,
      unknown: null,
      mechanism: 'multi',
      convention: 'standard',
      excludedKeys: tokens.map(() => false),
      ms: { queue: 0, build: 0, compute: 0, back: 0, roundTrip: 0 },
    };
  };

  it('stay in the result: the document keeps its text and words, the input shows the pieces', () => {
    A().setText('Once upon atime');
    A().useModel('hf:local/tiny');
    const before = doc();
    expect(inputTokens(useStore.getState())).toEqual(['Once', 'upon', 'atime']);
    A().setComputed(answer(1, PIECES, 'Once upon atime'));
    // The document is the same object: nothing the compute client watches has changed, so no second request.
    expect(doc()).toBe(before);
    expect(inputTokens(useStore.getState())).toEqual(PIECES);
    // A new text shows its own words until its result comes; a result of another text is not its tokens.
    A().setText('Once upon a time');
    expect(inputTokens(useStore.getState())).toEqual(['Once', 'upon', 'a', 'time']);
    A().setComputed(answer(2, PIECES, 'Once upon atime'));
    expect(inputTokens(useStore.getState())).toEqual(['Once', 'upon', 'a', 'time']);
  });

  it("keeps a link's cell past the words and clamps it to the tokenizer's count when the result comes", () => {
    const { doc: linked } = decodeState(`v=1&src=model&model=hf:local/tiny&mode=words&text=${encodeURIComponent('Once upon atime')}&cell=4.1`, doc());
    A().replaceDoc(linked!, false);
    expect(doc().cell).toEqual({ row: 4, col: 1 });
    A().setComputed(answer(1, PIECES.slice(0, 4), 'Once upon atime'));
    expect(doc().cell).toEqual({ row: 3, col: 1 });
  });
});

describe('the default sentence follows the language until the user types', () => {
  it('a new store starts on the interface language’s sentence, split into words', () => {
    setLang('zh');
    try {
      const s = createAppStore();
      expect(s.getState().doc.text).toBe(DEFAULT_TEXTS.zh);
      expect(s.getState().doc.tokens.slice(0, 2)).toEqual(['小猫', '没有']);
    } finally {
      setLang('en');
    }
  });

  it('switches an untouched default sentence, without an undo step, and leaves typed text alone', () => {
    const s = createAppStore();
    expect(s.getState().doc.text).toBe(DEFAULT_TEXTS.en);
    s.getState().actions.followLanguage('zh');
    expect(s.getState().doc.text).toBe(DEFAULT_TEXTS.zh);
    expect(s.getState().past).toEqual([]);
    s.getState().actions.followLanguage('en');
    expect(s.getState().doc.text).toBe(DEFAULT_TEXTS.en);
    s.getState().actions.setText('my own words');
    s.getState().actions.followLanguage('zh');
    expect(s.getState().doc.text).toBe('my own words');
  });

  it('keeps a default sentence whose chips were edited', () => {
    const s = createAppStore();
    s.getState().actions.editToken(1, 'cat');
    const text = s.getState().doc.text;
    s.getState().actions.followLanguage('zh');
    expect(s.getState().doc.text).toBe(text);
  });
});

describe('examples menu', () => {
  it('lists the interface language’s examples first: in 中文 the Chinese pronoun, repeated phrase and sentence', () => {
    expect(examplesFor('zh').slice(0, 3).map((e) => e.id)).toEqual(['animal-zh', 'repeat-zh', 'chinese']);
    expect(examplesFor('en')[0].id).toBe('animal');
    expect(examplesFor('zh')).toHaveLength(EXAMPLES.length);
  });

  it('opens a teaching example on a real encoder: the model is the source, the pair and the last model’s ablation go', () => {
    const s = createAppStore();
    const { actions } = s.getState();
    actions.useModel('brown-char');
    actions.toggleAblation({ layer: 1, head: 0 });
    actions.setPair('It was tired.');
    expect(s.getState().doc.pair).toBe('It was tired.');
    expect(s.getState().doc.ablate).toHaveLength(1);
    actions.loadExample('animal-mask', 'hf:local/bert-tiny');
    const doc = s.getState().doc;
    expect(doc.source).toEqual({ kind: 'model', model: 'hf:local/bert-tiny' });
    expect(doc.text).toBe("The animal didn't cross the street because [MASK] was too tired");
    expect(doc.pair).toBeNull();
    expect(doc.ablate).toEqual([]);
    expect(doc.mode).toBe('words');
    // The same example without a model: seeded weights again (a checkpoint stays only while it is the source).
    actions.useSeeded();
    actions.loadExample('animal');
    expect(s.getState().doc.source).toEqual({ kind: 'seeded' });
    expect(exampleWithText(s.getState().doc.text)?.id).toBe('animal');
  });
});

describe('a very long text', () => {
  it('130,000 characters without spaces in chars mode: every character a token, and the limit named', () => {
    A().setMode('chars');
    A().setText('ab'.repeat(65_000));
    expect(doc().tokens).toHaveLength(130_000);
    const problem = limitProblem(doc());
    expect(problem && t(problem.key, problem.params)).toBe('130000 tokens: the limit is 1024. Shorten the text; the last result stays on screen.');
  });
});
