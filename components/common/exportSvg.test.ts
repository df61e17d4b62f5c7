import { inflateSync } from 'node:zlib';
import { rgb } from 'd3-color';
import { interpolateViridis } from 'd3-scale-chromatic';
import { describe, expect, it } from 'vitest';
import { csvText, escapeXml, linesSvg, matricesSvg, matrixCsv } from './exportSvg.ts';

const A = { rows: 2, cols: 2, data: Float64Array.from([0.75, 0.25, 0.1, 0.9]) };

describe('export drawings', () => {
  it('a heatmap SVG has one rect per cell (plus background), labels escaped', async () => {
    const svg = await matricesSvg([{ title: 'Head 1', matrix: A, rowLabels: ['<a>', '它'], colLabels: ['<a>', '它'], kind: 'sequential' }]);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect((svg.match(/<rect /g) ?? []).length).toBe(1 + 4);
    expect(svg).toContain('&lt;a&gt;');
    expect(svg).not.toContain('<a>');
    expect(svg).toContain('>它<');
  });

  it('lines: one line per weight above the threshold', () => {
    const svg = linesSvg([A], ['x', 'y'], [true], undefined, { threshold: 0.2 });
    expect((svg.match(/<line /g) ?? []).length).toBe(3);
  });

  it('CSV has a header of column labels and defuses labels that start like formulas (OWASP); numbers stay numbers', () => {
    const M = { rows: 3, cols: 2, data: Float64Array.of(0.75, -0.25, 0.1, 0.9, -1, 2) };
    const csv = matrixCsv(M, ['=cmd|calc', 'b,c', '-1+1'], ['+SUM(A1)', '@x']);
    expect(csv).toBe(`,"'+SUM(A1)","'@x"\n"'=cmd|calc",0.75,-0.25\n"b,c",0.1,0.9\n"'-1+1",-1,2\n`);
    expect(csvText('\tcmd')).toBe(`"'\tcmd"`);
    expect(csvText('\rcmd')).toBe(`"'\rcmd"`);
    expect(csvText('plain')).toBe('plain');
    expect(csvText('a "quote"')).toBe('"a ""quote"""');
  });

  it('escapeXml shows what XML 1.0 forbids (controls, lone surrogates, U+FFFE, U+FFFF) as U+FFFD, and keeps the rest', () => {
    expect(escapeXml('a\u0001b&')).toBe('a\uFFFDb&amp;');
    expect(escapeXml('x\uFFFFy\uFFFE\uD800z\uDC00')).toBe('x\uFFFDy\uFFFD\uFFFDz\uFFFD');
    expect(escapeXml('tab\there\nline\r 👍🏽 它 \uFFFD \uE000')).toBe('tab\there\nline\r 👍🏽 它 \uFFFD \uE000');
  });

  it('tokens with characters XML forbids still give a document of XML characters only', async () => {
    const labels = ['bad\uFFFF', '\u0000nul', 'half\uD83D', '<ok>'];
    const M = { rows: 4, cols: 4, data: new Float64Array(16).fill(0.25) };
    const svgs = [
      await matricesSvg([{ title: 'T\uFFFE', matrix: M, rowLabels: labels, colLabels: labels, kind: 'sequential' }]),
      linesSvg([M], labels, [true], undefined, { caption: 'caption\u0008' }),
    ];
    for (const svg of svgs) {
      // XML 1.0's Char production, written out over code points.
      const bad = Array.from(svg).filter((ch) => {
        const c = ch.codePointAt(0)!;
        return !(c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff));
      });
      expect(bad).toEqual([]);
      expect(svg).toContain('bad\uFFFD');
      expect(svg).toContain('&lt;ok&gt;');
    }
  });
});

/** The pixels of a PNG (8-bit RGBA, filter 0 on every row), read with the PNG specification and zlib. */
function readPng(bytes: Uint8Array): { width: number; height: number; rgba: Uint8Array } {
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 8;
  let width = 0;
  let height = 0;
  const idat: Uint8Array[] = [];
  while (at < bytes.length) {
    const len = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    const data = bytes.subarray(at + 8, at + 8 + len);
    if (type === 'IHDR') {
      width = view.getUint32(at + 8);
      height = view.getUint32(at + 12);
      expect([...data.subarray(8)]).toEqual([8, 6, 0, 0, 0]);
    } else if (type === 'IDAT') idat.push(data);
    at += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  expect(raw.length).toBe((width * 4 + 1) * height);
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (width * 4 + 1)]).toBe(0);
    rgba.set(raw.subarray(y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1)), y * width * 4);
  }
  return { width, height, rgba };
}

describe('export of large maps', () => {
  it('5 heads × 1,024 tokens: each map is one PNG image inside the SVG, a pixel per cell in the heatmap colours', async () => {
    const n = 1024;
    let s = 7;
    const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const heads = Array.from({ length: 5 }, () => ({ rows: n, cols: n, data: Float32Array.from({ length: n * n }, rand) }));
    const tokens = Array.from({ length: n }, (_, i) => `w${i}`);
    const progress: string[] = [];
    const svg = await matricesSvg(
      heads.map((A, k) => ({ title: `Head ${k + 1}`, matrix: A, rowLabels: tokens, colLabels: tokens, kind: 'sequential' as const })),
      undefined,
      { columns: 4, maxSide: 200 },
      (done, total) => progress.push(`${done}/${total}`),
    );
    expect(progress).toEqual(['1/5', '2/5', '3/5', '4/5', '5/5']);
    // One background rect, no rect per cell; five images.
    expect((svg.match(/<rect /g) ?? []).length).toBe(1);
    const images = [...svg.matchAll(/<image [^>]*width="(\d+)" height="(\d+)"[^>]*href="data:image\/png;base64,([A-Za-z0-9+/=]+)"/g)];
    expect(images).toHaveLength(5);
    // Random values do not compress: ≈ 4 MB of PNG per map, 5.6 MB as base64 — not 115 million characters.
    expect(svg.length).toBeLessThan(40e6);
    images.forEach(([, w, h, b64], k) => {
      expect([Number(w), Number(h)]).toEqual([2 * n, 2 * n]); // 2 px per cell, as the rects were
      const png = readPng(new Uint8Array(Buffer.from(b64, 'base64')));
      expect([png.width, png.height]).toEqual([n, n]);
      // Colours against d3's viridis directly, at the heatmap's 256 levels, on a sample of cells.
      for (let t = 0; t < 500; t++) {
        const i = Math.floor(rand() * n);
        const j = Math.floor(rand() * n);
        const c = rgb(interpolateViridis(Math.round(heads[k].data[i * n + j] * 255) / 255));
        const p = (i * n + j) * 4;
        expect([...png.rgba.subarray(p, p + 4)]).toEqual([c.r, c.g, c.b, 255]);
      }
    });
  });

  it('up to 128 × 128 cells stay rects with a tooltip each; one more row makes an image', async () => {
    const M = (rows: number) => ({ rows, cols: 128, data: new Float64Array(rows * 128).fill(0.5) });
    const small = await matricesSvg([{ title: 'A', matrix: M(128), rowLabels: [], colLabels: [], kind: 'sequential' }]);
    expect((small.match(/<rect /g) ?? []).length).toBe(1 + 128 * 128);
    const large = await matricesSvg([{ title: 'A', matrix: M(129), rowLabels: [], colLabels: [], kind: 'sequential' }]);
    expect((large.match(/<rect /g) ?? []).length).toBe(1);
    expect((large.match(/<image /g) ?? []).length).toBe(1);
  });
});
