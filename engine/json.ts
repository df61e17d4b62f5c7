// Conversions between the engine's typed data and the JSON formats (the CLI, import and export).
import type { AttentionInput, AttentionResult, CaseJson, Matrix, ResultJson } from './types.ts';
import { toRows } from './matrix.ts';

/**
 * The case as JSON (arrays of rows), with its local window. Token labels and the Steps view's tile size are
 * kept when given (the engine ignores them).
 * Float32 data is written with the shortest decimals that read back as the same float32 values, so
 * a case exported from the app recomputes to exactly the same float32 results.
 */
export function inputToCaseJson(input: AttentionInput, tokens?: string[], tile: number | null = null): CaseJson {
  const kw = input.keyWeights;
  const json: CaseJson = {
    X: rowsOf(input.X),
    heads: input.heads.map((h) => ({ Wq: rowsOf(h.Wq), Wk: rowsOf(h.Wk), Wv: rowsOf(h.Wv) })),
    Wo: input.Wo ? rowsOf(input.Wo) : null,
    scale: input.scale,
    causal: input.causal,
    keyWeights: kw ? Array.from(kw, (w) => (kw instanceof Float32Array ? shortFloat32(w) : w)) : null,
  };
  if (input.window !== null && input.window !== undefined) json.window = input.window;
  if (tokens) json.tokens = tokens.slice();
  if (tile !== null) json.tile = tile;
  return json;
}

/**
 * The shortest decimal that reads back as the same float32 (e.g. 0.1 rather than 0.10000000149011612):
 * the JSON is about half the size and says no more than float32 knows. Math.fround(result) === v.
 */
export function shortFloat32(v: number): number {
  if (v === 0 || !Number.isFinite(v)) return v;
  for (let p = 6; p < 9; p++) {
    const c = Number(v.toPrecision(p));
    if (Math.fround(c) === v) return c;
  }
  return Number(v.toPrecision(9));
}

/** Rows of a matrix; float32 data is written with shortFloat32, float64 data exactly. */
function rowsOf(m: Matrix): number[][] {
  if (!(m.data instanceof Float32Array)) return toRows(m);
  const out: number[][] = new Array(m.rows);
  for (let i = 0; i < m.rows; i++) {
    const r: number[] = new Array(m.cols);
    for (let j = 0; j < m.cols; j++) r[j] = shortFloat32(m.data[i * m.cols + j]);
    out[i] = r;
  }
  return out;
}

/** The command line's result format: {"heads": [{Q, K, V, scores, A, Z}…], "Z", "out"} (out null without Wo). */
export function resultToJson(result: AttentionResult): ResultJson {
  return {
    heads: result.heads.map((h) => ({
      Q: rowsOf(h.Q),
      K: rowsOf(h.K),
      V: rowsOf(h.V),
      scores: rowsOf(h.scores),
      A: rowsOf(h.A),
      Z: rowsOf(h.Z),
    })),
    Z: rowsOf(result.Z),
    out: result.out ? rowsOf(result.out) : null,
  };
}

/**
 * Streams the JSON of resultToJson(result) in pieces (one per matrix row), without building the
 * whole text: the command line uses it so that big results never hit the maximum string length.
 * The pieces joined equal JSON.stringify(resultToJson(result)).
 */
export function writeResultJson(result: AttentionResult, emit: (piece: string) => void): void {
  const num = (v: number) => (Number.isFinite(v) ? String(v) : 'null');
  const matrix = (m: Matrix) => {
    const short = m.data instanceof Float32Array;
    emit('[');
    for (let i = 0; i < m.rows; i++) {
      const cells: string[] = new Array(m.cols);
      for (let j = 0; j < m.cols; j++) {
        const v = m.data[i * m.cols + j];
        cells[j] = num(short ? shortFloat32(v) : v);
      }
      emit(`${i ? ',' : ''}[${cells.join(',')}]`);
    }
    emit(']');
  };
  emit('{"heads":[');
  result.heads.forEach((h, k) => {
    emit(k ? ',{' : '{');
    (['Q', 'K', 'V', 'scores', 'A', 'Z'] as const).forEach((key, t) => {
      emit(`${t ? ',' : ''}"${key}":`);
      matrix(h[key]);
    });
    emit('}');
  });
  emit('],"Z":');
  matrix(result.Z);
  emit(',"out":');
  if (result.out) matrix(result.out);
  else emit('null');
  emit('}');
}
