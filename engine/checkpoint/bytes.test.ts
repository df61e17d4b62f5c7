// A file held in pieces (as a browser must hold one over 2 GiB): ranges read as from the whole file, the
// sink that fills pieces as bytes arrive, and a checkpoint loaded from pieces cut at awkward places giving
// exactly the model loaded from one array.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '../backend.ts';
import { byteRange, chunksOf, contiguous, PieceBuffer, Pieces } from './bytes.ts';
import { memoryFiles } from './files.ts';
import { loadCheckpoint } from './load.ts';
import { parseSafetensors } from './safetensors.ts';
import { CONFORMANCE_MODELS, expected, readConfig, readTensors, writeCheckpoint } from './test-checkpoints.ts';

/** `bytes` cut into pieces of the given sizes (the last takes the rest), each a copy in its own buffer. */
function cut(bytes: Uint8Array, sizes: number[]): Pieces {
  const pieces: Uint8Array[] = [];
  let at = 0;
  for (const s of sizes) {
    pieces.push(bytes.slice(at, Math.min(bytes.byteLength, at + s)));
    at += s;
  }
  pieces.push(bytes.slice(at));
  return new Pieces(pieces);
}

const counting = (n: number) => Uint8Array.from({ length: n }, (_, k) => (k * 7 + 3) & 255);

describe('Pieces', () => {
  it('any range reads the bytes of the whole file: a view inside a piece, a copy across seams', () => {
    const whole = counting(50);
    const p = cut(whole, [10, 0, 1, 20]); // pieces of 10, 1, 20 and 19 bytes (the empty one is dropped)
    expect(p.byteLength).toBe(50);
    expect(p.pieces.map((x) => x.byteLength)).toEqual([10, 1, 20, 19]);
    for (let begin = 0; begin <= 50; begin++) {
      for (let end = begin; end <= 50; end++) expect(Array.from(p.range(begin, end)), `${begin}…${end}`).toEqual(Array.from(whole.subarray(begin, end)));
    }
    // Inside the third piece: the piece's own memory (nothing copied).
    expect(p.range(12, 20).buffer).toBe(p.pieces[2].buffer);
    // Across the seam at 11: a copy of just those bytes.
    const across = p.range(9, 13);
    expect(across.buffer).not.toBe(p.pieces[0].buffer);
    expect(across.byteLength).toBe(4);
    expect(() => p.range(40, 51)).toThrow('bytes 40…51 are outside 0…50');
    expect(() => p.range(5, 4)).toThrow(RangeError);
  });

  it('byteRange, contiguous and chunksOf treat one array and pieces alike', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.array(fc.integer({ min: 0, max: 80 }), { maxLength: 6 }), fc.integer({ min: 1, max: 70 }), (n, sizes, chunk) => {
        const whole = counting(n);
        const p = cut(whole, sizes);
        expect(Array.from(contiguous(p))).toEqual(Array.from(whole));
        expect(contiguous(whole)).toBe(whole);
        const b = Math.floor(n / 3);
        expect(Array.from(byteRange(p, b, n - b > b ? n - b : b))).toEqual(Array.from(byteRange(whole, b, n - b > b ? n - b : b)));
        const chunks = [...chunksOf(p, chunk)];
        expect(chunks.every((c) => c.byteLength > 0 && c.byteLength <= chunk)).toBe(true);
        expect(chunks.flatMap((c) => Array.from(c))).toEqual(Array.from(whole));
      }),
    );
  });
});

describe('PieceBuffer', () => {
  const feed = (buf: PieceBuffer, bytes: Uint8Array, sizes: number[]) => {
    let at = 0;
    for (let k = 0; at < bytes.byteLength; k++) {
      const s = Math.max(1, sizes[k % sizes.length]);
      buf.write(bytes.subarray(at, at + s));
      at += s;
    }
  };

  it('size known: pieces of exactly pieceBytes (the last the rest), the bytes as written', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 40 }), fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 5 }), (n, pieceBytes, sizes) => {
        const whole = counting(n);
        const buf = new PieceBuffer(n, pieceBytes);
        feed(buf, whole, sizes);
        const out = buf.bytes();
        expect(buf.length).toBe(n);
        expect(Array.from(contiguous(out))).toEqual(Array.from(whole));
        const lengths = out instanceof Pieces ? out.pieces.map((p) => p.byteLength) : [out.byteLength];
        expect(lengths).toEqual(Array.from({ length: Math.ceil(n / pieceBytes) }, (_, k) => Math.min(pieceBytes, n - k * pieceBytes)));
        // At most one piece means one plain array, as before there were pieces.
        expect(out instanceof Pieces).toBe(n > pieceBytes);
      }),
    );
  });

  it('size unknown: grows, then starts new pieces; a restart reuses the memory for new bytes', () => {
    const whole = counting(300_000);
    const buf = new PieceBuffer(null, 100_000);
    feed(buf, whole, [5000, 70_001, 3]);
    const out = buf.bytes() as Pieces;
    expect(out.pieces.map((p) => p.byteLength)).toEqual([100_000, 100_000, 100_000]);
    expect(Array.from(contiguous(out))).toEqual(Array.from(whole));
    buf.restart();
    expect(buf.length).toBe(0);
    const other = counting(150_001).map((x) => 255 - x);
    feed(buf, other, [40_000]);
    expect(Array.from(contiguous(buf.bytes()))).toEqual(Array.from(other));
    expect(new PieceBuffer(null).bytes()).toEqual(new Uint8Array(0));
  });

  it('more bytes than announced (a size that turned out wrong) still keeps them all', () => {
    const buf = new PieceBuffer(10, 16);
    const whole = counting(40);
    buf.write(whole.subarray(0, 10));
    buf.expected = null; // as the downloader does when it stops trusting the announced size
    feed(buf, whole.subarray(10), [7]);
    const out = buf.bytes() as Pieces;
    expect(out.pieces.map((p) => p.byteLength)).toEqual([16, 16, 8]);
    expect(Array.from(contiguous(out))).toEqual(Array.from(whole));
  });
});

describe('a checkpoint from pieces', () => {
  const NAME = 'stories260K-hf';
  let tmp = '';
  beforeAll(async () => {
    expect(await initBackend('wasm')).toBe('wasm');
    tmp = mkdtempSync(join(tmpdir(), 'pieces-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  /** The checkpoint in `dir` as memory files, its weights cut every `every` bytes (odd: seams inside tensors, pieces misaligned). */
  const piecewise = (dir: string, every: number) => {
    const weights = new Uint8Array(readFileSync(join(dir, 'model.safetensors')));
    const sizes = Array.from({ length: Math.floor(weights.byteLength / every) }, () => every);
    return { whole: weights, files: memoryFiles(dir, { 'config.json': readFileSync(join(dir, 'config.json'), 'utf8'), 'model.safetensors': cut(weights, sizes) }) };
  };

  it('F32 and F16, resident and streamed: the same maps and logits, bit for bit, as from one array', async () => {
    const f16 = writeCheckpoint(join(tmp, 'f16'), readConfig(NAME), readTensors(NAME).map((t) => ({ ...t, dtype: 'F16' })));
    const ids = expected(NAME).ids.slice(0, 16);
    for (const dir of [join(CONFORMANCE_MODELS, NAME), f16]) {
      const { whole, files } = piecewise(dir, 40_001);
      // Seams really do fall inside tensors.
      const st = parseSafetensors(whole, 'w');
      expect([...st.tensors.values()].filter((t) => Math.floor(t.begin / 40_001) !== Math.floor((t.end - 1) / 40_001)).length).toBeGreaterThan(5);
      for (const weights of ['auto', 'streamed'] as const) {
        const a = await loadCheckpoint(memoryFiles(dir, { 'config.json': readFileSync(join(dir, 'config.json'), 'utf8'), 'model.safetensors': whole }), { weights });
        const b = await loadCheckpoint(files, { weights });
        try {
          const ra = await a.forward(ids, { keep: 'attention' });
          const rb = await b.forward(ids, { keep: 'attention' });
          rb.layers.forEach((layer, l) => layer.attention.forEach((A, h) => expect(Array.from(A.data), `${dir} ${weights} ${l}.${h}`).toEqual(Array.from(ra.layers[l].attention[h].data))));
          expect(Array.from(rb.logits!)).toEqual(Array.from(ra.logits!));
        } finally {
          a.dispose();
          b.dispose();
        }
      }
    }
  });

  it('a non-finite weight across a seam is still refused when a streamed checkpoint opens, naming the element', async () => {
    const name = 'model.layers.2.mlp.up_proj.weight';
    const dir = writeCheckpoint(join(tmp, 'inf'), readConfig(NAME), readTensors(NAME).map((t) => ({ ...t, dtype: 'F16' as const, data: t.name === name ? t.data.map((x, k) => (k === 1000 ? -Infinity : x)) : t.data })));
    const weights = new Uint8Array(readFileSync(join(dir, 'model.safetensors')));
    const t = parseSafetensors(weights, 'w').tensors.get(name)!;
    // A seam one byte into element 1000: its two bytes lie in different pieces.
    const p = cut(weights, [t.begin + 2 * 1000 + 1]);
    expect(p.pieces.length).toBe(2);
    const files = memoryFiles(dir, { 'config.json': readFileSync(join(dir, 'config.json'), 'utf8'), 'model.safetensors': p });
    await expect(loadCheckpoint(files, { weights: 'streamed' })).rejects.toThrow(`${dir}/model.safetensors: tensor ${name}: element 1000 is -Infinity (weights must be finite numbers)`);
  });
});
