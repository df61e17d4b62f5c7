// The numbers on screen are the engine's, and the engine's are right: every check recomputes the
// truth here, in float64 plain JS, from the case the app exports (X, W^Q, W^K, W^V, scale, mask,
// weights), and compares it with what the page shows (tooltips, step-by-step) and exports.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type AppPage } from './harness.ts';
import type { CaseJson, ResultJson } from '../../engine/types.ts';
import { afterRecompute, currentHash, exportCase, exportResult, headHeatmap, hoverCell, keyControl, stateHash, waitComputed } from './page.ts';

// ------------------------------------------------------------------------------------------------
// Reference: softmax(scale·QKᵀ) with causal mask and key weights, in float64.

type M = number[][];

function matmul(a: M, b: M): M {
  return a.map((row) => b[0].map((_, j) => row.reduce((s, x, k) => s + x * b[k][j], 0)));
}

interface Head64 {
  Q: M;
  K: M;
  V: M;
  scores: M;
  A: M;
  Z: M;
}

function attention64(c: CaseJson): { heads: Head64[]; Z: M; out: M | null } {
  const n = c.X.length;
  const w = c.keyWeights ?? new Array<number>(n).fill(1);
  const heads = c.heads.map((hw) => {
    const Q = matmul(c.X, hw.Wq);
    const K = matmul(c.X, hw.Wk);
    const V = matmul(c.X, hw.Wv);
    const dk = hw.Wq[0].length;
    const scale = c.scale ?? 1 / Math.sqrt(dk);
    const scores = Q.map((q) => K.map((k) => scale * q.reduce((s, x, m) => s + x * k[m], 0)));
    const A = scores.map((row, i) => {
      const ok = row.map((_, j) => (!c.causal || j <= i) && w[j] > 0);
      const max = Math.max(...row.filter((_, j) => ok[j]));
      const e = row.map((s, j) => (ok[j] ? w[j] * Math.exp(s - max) : 0));
      const sum = e.reduce((a, b) => a + b, 0);
      return e.map((x) => (sum > 0 ? x / sum : 0));
    });
    return { Q, K, V, scores, A, Z: matmul(A, V) };
  });
  const Z = c.X.map((_, i) => heads.flatMap((h) => h.Z[i]));
  return { heads, Z, out: c.Wo ? matmul(Z, c.Wo) : null };
}

function maxDiff(a: M, b: M): number {
  let m = 0;
  a.forEach((row, i) => row.forEach((x, j) => (m = Math.max(m, Math.abs(x - b[i][j])))));
  return m;
}

/** The number at the end of a tooltip ("animal → it: 0.4172"). */
function shownNumber(text: string): number {
  const m = /(-?[\d.]+(?:e-?\d+)?)\s*$/.exec(text);
  if (!m) throw new Error(`no number in ${JSON.stringify(text)}`);
  return Number(m[1]);
}

const TOL = 2e-5; // float32 engine vs float64 truth

// ------------------------------------------------------------------------------------------------

describe('values on screen equal an independent float64 computation', () => {
  let app: AppPage;
  beforeAll(async () => {
    app = await openApp('/' + stateHash({ text: "The animal didn't cross the street because it was too tired", h: 4, d: 16 }));
    await waitComputed(app.page);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('hovering a cell shows A_ij of the engine, equal to softmax(QKᵀ/√d_k)', async () => {
    const { page } = app;
    const c = await exportCase(page);
    expect(c.tokens).toEqual(['The', 'animal', "didn't", 'cross', 'the', 'street', 'because', 'it', 'was', 'too', 'tired']);
    expect(c.heads).toHaveLength(4);
    const truth = attention64(c);
    const exported = await exportResult(page);
    for (let k = 0; k < 4; k++) expect(maxDiff(exported.heads[k].A, truth.heads[k].A)).toBeLessThan(TOL);
    expect(maxDiff(exported.Z, truth.Z)).toBeLessThan(TOL);
    expect(maxDiff(exported.out!, truth.out!)).toBeLessThan(TOL);

    for (const [k, i, j] of [
      [0, 7, 1], // it → animal
      [1, 2, 5],
      [3, 10, 0],
      [2, 0, 10],
    ]) {
      const { value, text } = await hoverCell(page, headHeatmap(page, k), i, j);
      expect(Math.abs(value - truth.heads[k].A[i][j])).toBeLessThan(TOL);
      // The visible number (4 significant digits) is the truth rounded.
      expect(Math.abs(shownNumber(text) - truth.heads[k].A[i][j])).toBeLessThanOrEqual(Math.abs(truth.heads[k].A[i][j]) * 5e-4 + 1e-7);
      expect(text).toContain(`${c.tokens![i]} → ${c.tokens![j]}`);
    }
    await app.shot('values-hover');
    expect(app.consoleErrors).toEqual([]);
  });

  it('the step-by-step arithmetic of a chosen cell equals the engine’s numbers', async () => {
    const { page } = app;
    const c = await exportCase(page);
    const truth = attention64(c);
    const [k, i, j] = [2, 7, 1]; // head 3, "it" → "animal"
    const T = truth.heads[k];
    await page.getByTestId('tab-steps').click();
    await page.getByTestId('head-picker').selectOption(String(k));
    await page.getByTestId('step-query').selectOption(String(i));
    await page.getByTestId('step-key').selectOption(String(j));
    const steps = page.getByTestId('step-by-step');
    const num = async (id: string) => Number(await page.getByTestId(id).getAttribute('data-value'));
    const vec = async (id: string) => JSON.parse((await page.getByTestId(id).getAttribute('data-value')) ?? 'null') as number[];
    const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(TOL * Math.max(1, Math.abs(b)));
    const closeVec = (a: number[], b: number[]) => {
      expect(a).toHaveLength(b.length);
      a.forEach((x, t) => close(x, b[t]));
    };

    // 1. Projections: q_i, k_j, v_j.
    await expect.poll(() => steps.getAttribute('data-step')).toBe('project');
    closeVec(await vec('step-q'), T.Q[i]);
    closeVec(await vec('step-k'), T.K[j]);
    closeVec(await vec('step-v'), T.V[j]);
    // 2. Scores: q_i·k_j, the scale, s_ij.
    await page.getByTestId('step-next').click();
    await expect.poll(() => steps.getAttribute('data-step')).toBe('scores');
    const dk = c.heads[k].Wq[0].length;
    close(await num('step-dot'), T.Q[i].reduce((s, x, t) => s + x * T.K[j][t], 0));
    close(await num('step-scale'), 1 / Math.sqrt(dk));
    close(await num('step-score'), T.scores[i][j]);
    // 3. Softmax: row max, w·exp(s − m), the sum, A_ij.
    await page.getByTestId('step-next').click();
    await expect.poll(() => steps.getAttribute('data-step')).toBe('softmax');
    const m = Math.max(...T.scores[i]);
    const sum = T.scores[i].reduce((s, x) => s + Math.exp(x - m), 0);
    close(await num('step-max'), m);
    close(await num('step-exp'), Math.exp(T.scores[i][j] - m));
    close(await num('step-sum'), sum);
    close(await num('step-A'), T.A[i][j]);
    expect(Math.abs(Number(await page.getByTestId('step-A').textContent()) - T.A[i][j])).toBeLessThanOrEqual(T.A[i][j] * 5e-4);
    await app.shot('values-steps-softmax');
    // 4. Output of the head: z_i = Σ A_ij v_j.
    await page.getByTestId('step-next').click();
    await expect.poll(() => steps.getAttribute('data-step')).toBe('output');
    closeVec(await vec('step-z'), T.Z[i]);
    // 5. Concatenation and W^O.
    await page.getByTestId('step-next').click();
    await expect.poll(() => steps.getAttribute('data-step')).toBe('concat');
    closeVec(await vec('step-Zrow'), truth.Z[i]);
    closeVec(await vec('step-out'), truth.out![i]);
    // The step and the cell are part of the link.
    expect(await currentHash(page)).toMatch(/view=steps.*&head=2&cell=7\.1&step=4/);
    await page.getByTestId('tab-heads').click();
    expect(app.consoleErrors).toEqual([]);
  });

  it('the causal mask zeroes every cell above the diagonal', async () => {
    const { page } = app;
    await afterRecompute(page, () => page.getByTestId('causal').check());
    const c = await exportCase(page);
    expect(c.causal).toBe(true);
    const r: ResultJson = await exportResult(page);
    const truth = attention64(c);
    for (let k = 0; k < r.heads.length; k++) {
      const A = r.heads[k].A;
      A.forEach((row, i) => row.forEach((a, j) => (j > i ? expect(a).toBe(0) : undefined)));
      A.forEach((row) => expect(Math.abs(row.reduce((s, x) => s + x, 0) - 1)).toBeLessThan(1e-5));
      expect(maxDiff(A, truth.heads[k].A)).toBeLessThan(TOL);
    }
    // And what the tooltip says above and below the diagonal.
    expect((await hoverCell(page, headHeatmap(page, 1), 2, 9)).value).toBe(0);
    const below = await hoverCell(page, headHeatmap(page, 1), 9, 2);
    expect(Math.abs(below.value - truth.heads[1].A[9][2])).toBeLessThan(TOL);
    expect(below.value).toBeGreaterThan(0);
    await app.shot('values-causal');
    await afterRecompute(page, () => page.getByTestId('causal').uncheck());
    expect(app.consoleErrors).toEqual([]);
  });

  it('a key weight of 0 removes that key’s column (and the views mark it excluded)', async () => {
    const { page } = app;
    await afterRecompute(page, () => page.getByTestId('mech-weighted').check());
    const key = 3; // "cross"
    await afterRecompute(page, async () => (await keyControl(page, key, 'key-weight')).fill('0'));
    const c = await exportCase(page);
    expect(c.heads).toHaveLength(1);
    expect(c.keyWeights?.[key]).toBe(0);
    const r = await exportResult(page);
    const truth = attention64(c);
    r.heads[0].A.forEach((row) => {
      expect(row[key]).toBe(0);
      expect(Math.abs(row.reduce((s, x) => s + x, 0) - 1)).toBeLessThan(1e-5);
    });
    expect(maxDiff(r.heads[0].A, truth.heads[0].A)).toBeLessThan(TOL);
    // Excluded in the chips and in the heatmap's column labels.
    expect(await page.getByTestId('chip').nth(key).getAttribute('class')).toContain('al-chip-excluded');
    const excludedLabels = await headHeatmap(page, 0)
      .locator('xpath=ancestor::figure')
      .locator('.al-axis-cols text.al-excluded')
      .evaluateAll((els) => els.map((e) => e.childNodes[0]?.textContent));
    expect(excludedLabels).toEqual(['cross']);
    expect((await hoverCell(page, headHeatmap(page, 0), 7, key)).value).toBe(0);

    // A weight of 2 doubles that key's share before normalisation.
    await afterRecompute(page, async () => (await keyControl(page, 5, 'key-weight')).fill('2'));
    const c2 = await exportCase(page);
    const r2 = await exportResult(page);
    expect(c2.keyWeights?.[5]).toBe(2);
    expect(maxDiff(r2.heads[0].A, attention64(c2).heads[0].A)).toBeLessThan(TOL);
    await app.shot('values-weighted');
    expect(app.consoleErrors).toEqual([]);
  });

  it('every backend (cpu, webgl, wasm) is shown, switchable and gives the same numbers', async () => {
    const { page } = app;
    const c = await exportCase(page);
    const truth = attention64(c);
    for (const [backend, tol] of [
      ['cpu', TOL],
      ['webgl', 2e-4], // SwiftShader here; GPU exp/division are less exact than the CPU's
      ['wasm', TOL],
    ] as const) {
      await afterRecompute(page, () => page.getByTestId('backend').selectOption(backend));
      await expect.poll(() => page.getByTestId('backend-active').getAttribute('data-backend')).toBe(backend);
      expect(await page.getByTestId('timing').textContent()).toContain(`on ${backend}`);
      const r = await exportResult(page);
      r.heads.forEach((h, k) => expect(maxDiff(h.A, truth.heads[k].A)).toBeLessThan(tol));
      expect(maxDiff(r.out!, truth.out!)).toBeLessThan(tol * 10);
    }
    await afterRecompute(page, () => page.getByTestId('backend').selectOption('auto'));
    expect(app.consoleErrors).toEqual([]);
  });

  it('switching the convention changes Z from n×d·h (article) to n×d (standard)', async () => {
    const { page } = app;
    await afterRecompute(page, () => page.getByTestId('mech-multi').check());
    await afterRecompute(page, () => page.getByTestId('d').fill('8'));
    await page.getByTestId('tab-matrices').click();
    const Z = page.locator('[data-testid="heatmap"][data-title="Z, all heads concatenated"]');

    await afterRecompute(page, () => page.getByTestId('conv-article').check());
    await expect.poll(() => Z.getAttribute('data-cols')).toBe(String(8 * 4));
    expect(await Z.getAttribute('data-rows')).toBe('11');
    const article = await exportResult(page);
    expect(article.Z[0]).toHaveLength(32);
    expect(article.out).toBeNull();
    const ca = await exportCase(page);
    expect(ca.heads[0].Wq[0]).toHaveLength(8); // d_k = d
    expect(maxDiff(article.Z, attention64(ca).Z)).toBeLessThan(TOL);
    await app.shot('values-article');

    await afterRecompute(page, () => page.getByTestId('conv-standard').check());
    await expect.poll(() => Z.getAttribute('data-cols')).toBe('8');
    const standard = await exportResult(page);
    expect(standard.Z[0]).toHaveLength(8);
    expect(standard.out?.[0]).toHaveLength(8);
    const cs = await exportCase(page);
    expect(cs.heads[0].Wq[0]).toHaveLength(2); // d_k = d/h
    expect(maxDiff(standard.out!, attention64(cs).out!)).toBeLessThan(TOL);
    await page.getByTestId('tab-heads').click();
    expect(app.consoleErrors).toEqual([]);
  });

  it('a number edited in the matrix editor is used by the engine, kept in the link, and can be reset', async () => {
    const { page } = app;
    await page.getByTestId('tab-matrices').click();
    const X = page.locator('[data-testid="heatmap"][data-title="X, input embeddings"]');
    await X.scrollIntoViewIfNeeded();
    const box = (await X.boundingBox())!;
    const cols = Number(await X.getAttribute('data-cols'));
    const rows = Number(await X.getAttribute('data-rows'));
    await X.dblclick({ position: { x: (0.5 * box.width) / cols, y: (7.5 * box.height) / rows } }); // X[7][0]
    const editor = X.locator('input');
    await editor.fill('3.25');
    await afterRecompute(page, () => editor.press('Enter'));
    const c = await exportCase(page);
    expect(c.X[7][0]).toBe(3.25);
    expect(maxDiff((await exportResult(page)).Z, attention64(c).Z)).toBeLessThan(TOL);
    expect(await currentHash(page)).toContain('ov=X.7.0:3.25');
    expect(await page.getByTestId('override-count').textContent()).toContain('1 number(s) edited by hand.');
    await app.shot('values-edited');
    await afterRecompute(page, () => page.getByTestId('clear-overrides').click());
    expect((await exportCase(page)).X[7][0]).not.toBe(3.25);
    await page.getByTestId('tab-heads').click();
    expect(app.consoleErrors).toEqual([]);
  });
});

describe('edits read their results into the arrays of results no longer shown', () => {
  let app: AppPage;
  beforeAll(async () => {
    app = await openApp('/' + stateHash({ text: 'one two three four five six seven eight nine ten eleven twelve', h: 3, d: 12 }));
    await waitComputed(app.page);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('every matrix stays right over repeated edits, and an edit undone gives back exactly the first numbers', async () => {
    const { page } = app;
    const first = await exportResult(page);
    for (let round = 0; round < 4; round++) {
      const causal = round % 2 === 0;
      await afterRecompute(page, () => (causal ? page.getByTestId('causal').check() : page.getByTestId('causal').uncheck()));
      const c = await exportCase(page);
      expect(c.causal).toBe(causal);
      const truth = attention64(c);
      const r = await exportResult(page);
      r.heads.forEach((h, k) => {
        for (const name of ['Q', 'K', 'V', 'scores', 'A', 'Z'] as const) expect(maxDiff(h[name], truth.heads[k][name])).toBeLessThan(TOL * 10);
      });
      expect(maxDiff(r.Z, truth.Z)).toBeLessThan(TOL);
      const { value } = await hoverCell(page, headHeatmap(page, 2), 1, 10);
      if (causal) expect(value).toBe(0);
      else expect(Math.abs(value - truth.heads[2].A[1][10])).toBeLessThan(TOL);
    }
    // Not causal again: float32 arithmetic on the same inputs repeats itself bit for bit.
    expect(await exportResult(page)).toEqual(first);
    expect(app.consoleErrors).toEqual([]);
  });
});
