// Next-token distributions from logits: probabilities, the top tokens, log-probabilities and the KL
// divergence between two of them (what an ablation does to a prediction). Float64, numerically stable
// (every exponent is taken relative to the row's maximum).

/** log-softmax of one logits vector. */
export function logSoftmax(logits: ArrayLike<number>): Float64Array {
  const n = logits.length;
  let m = -Infinity;
  for (let j = 0; j < n; j++) if (logits[j] > m) m = logits[j];
  let s = 0;
  for (let j = 0; j < n; j++) s += Math.exp(logits[j] - m);
  const lse = m + Math.log(s);
  const out = new Float64Array(n);
  for (let j = 0; j < n; j++) out[j] = logits[j] - lse;
  return out;
}

export function softmax(logits: ArrayLike<number>): Float64Array {
  return logSoftmax(logits).map(Math.exp);
}

export interface TokenProb {
  id: number;
  p: number;
}

/** The k most probable tokens, most probable first (ties by lower id). */
export function topK(probs: ArrayLike<number>, k: number): TokenProb[] {
  const best: TokenProb[] = [];
  for (let id = 0; id < probs.length; id++) {
    const p = probs[id];
    if (best.length === k && p <= best[k - 1].p) continue;
    let at = best.length;
    while (at > 0 && best[at - 1].p < p) at--;
    best.splice(at, 0, { id, p });
    if (best.length > k) best.pop();
  }
  return best;
}

/** KL(P‖Q) in nats, P and Q given as logits: Σ p·(log p − log q). */
export function klDivergence(logitsP: ArrayLike<number>, logitsQ: ArrayLike<number>): number {
  const lp = logSoftmax(logitsP);
  const lq = logSoftmax(logitsQ);
  let kl = 0;
  for (let j = 0; j < lp.length; j++) {
    const p = Math.exp(lp[j]);
    if (p > 0) kl += p * (lp[j] - lq[j]);
  }
  return Math.max(0, kl);
}

/** What an intervention did to one prediction: the change in log p(target) and KL(before‖after). */
export interface PredictionChange {
  target: number;
  logpBefore: number;
  logpAfter: number;
  /** logpAfter − logpBefore (negative: the intervention made the target less likely). */
  deltaLogp: number;
  kl: number;
  topBefore: TokenProb[];
  topAfter: TokenProb[];
}

export function predictionChange(before: ArrayLike<number>, after: ArrayLike<number>, target: number, k = 10): PredictionChange {
  const lb = logSoftmax(before);
  const la = logSoftmax(after);
  return {
    target,
    logpBefore: lb[target],
    logpAfter: la[target],
    deltaLogp: la[target] - lb[target],
    kl: klDivergence(before, after),
    topBefore: topK(lb.map(Math.exp), k),
    topAfter: topK(la.map(Math.exp), k),
  };
}
