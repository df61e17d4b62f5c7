import { describe, expect, it } from 'vitest';
import { csvText, escapeXml, linesSvg, matricesSvg, matrixCsv } from './exportSvg.ts';

const A = { rows: 2, cols: 2, data: Float64Array.from([0.75, 0.25, 0.1, 0.9]) };

describe('export drawings', () => {
  it('a heatmap SVG has one rect per cell (plus background), labels escaped', () => {
    const svg = matricesSvg([{ title: 'Head 1', matrix: A, rowLabels: ['<a>', '它'], colLabels: ['<a>', '它'], kind: 'sequential' }]);
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

  it('escapeXml drops control characters', () => {
    expect(escapeXml('a\u0001b&')).toBe('ab&amp;');
  });
});
