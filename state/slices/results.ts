// What the compute client reports back: the latest result (and its head analysis), busy, errors and
// the backend in use. Only the compute client calls these.
import type { HeadAnalysis } from '../../engine/headAnalysis.ts';
import type { BackendPref } from '../../engine/backend.ts';
import type { AttentionInput, AttentionResult, Matrix } from '../../engine/types.ts';
import type { CompareLayer, ModelExtras } from '../../engine/analysis/extras.ts';
import type { Convention, Mechanism } from '../document.ts';
import type { SliceContext } from './context.ts';
import { sameTokens } from '../tokens.ts';

/** One finished computation, with everything the views need to draw it. */
export interface Computed {
  id: number;
  tokens: string[];
  /** A per head, per layer (one layer for seeded weights and cases); max-pooled thumbnails when `pooled`. */
  attention: Matrix[][];
  /**
   * A long model input: `attention` holds thumbnails; the layer shown is whole in `result`, and a focused
   * query's rows come from the worker on request (`focusRows`).
   */
  pooled: boolean;
  /** The shown layer was answered from the worker's kept run of the same request (no new forward pass). */
  fromKeptRun: boolean;
  /** The layer the views show in detail, and its engine input and result. */
  layer: number;
  input: AttentionInput;
  result: AttentionResult;
  /** Model runs: predictions, lens, rollout, ablation, the second input; null for seeded weights and cases. */
  model: ModelExtras | null;
  /** Head scores and similarity; null until the worker sends them. */
  analysis: HeadAnalysis | null;
  /** Why the head scores will not come (the analysis failed or was stopped); null while they may. */
  analysisError: string | null;
  /** Character model: characters it does not know (read as its unknown token); null otherwise. */
  unknown: boolean[] | null;
  mechanism: Mechanism;
  convention: Convention;
  /** Keys with weight 0 (padding or a slider at 0). */
  excludedKeys: boolean[];
  /** Where the time went: page → worker queue, build, compute, worker → page, and the whole round trip. */
  ms: { queue: number; build: number; compute: number; back: number; roundTrip: number };
}

/** A focused query's attention row in every head, for a result whose maps stayed in the worker. */
export interface FocusRows {
  of: number;
  query: number;
  rows: Float32Array[][];
}

/** "Which heads matter?": each head ablated in turn, in the worker. */
export interface Importance {
  /** 'requested': the compute client starts it; 'cancelling': it stops it. */
  status: 'idle' | 'requested' | 'running' | 'cancelling' | 'done' | 'error';
  done: number;
  total: number;
  deltas: number[][] | null;
  target: string | null;
  position: number | null;
  error: string | null;
}

export const NO_IMPORTANCE: Importance = { status: 'idle', done: 0, total: 0, deltas: null, target: null, position: null, error: null };

export interface ResultActions {
  setBackend(pref: BackendPref): void;
  setComputed(c: Omit<Computed, 'analysis' | 'analysisError' | 'fromKeptRun'>): void;
  setAnalysis(id: number, analysis: HeadAnalysis): void;
  /** The head scores of result `id` will not come: why (shown where they would be). */
  setAnalysisError(id: number, why: string): void;
  /** Request `id` showed another layer of the same run: that layer in full (the rest of the result stays). */
  setLayer(id: number, detail: { layer: number; input: AttentionInput; result: AttentionResult }, compare: CompareLayer | null, ms: Computed['ms']): void;
  /** A long input's rollout, sent after result `id`. */
  setRollout(id: number, rollout: Matrix[]): void;
  /** The worker's rows of a focused query (dropped when the result has changed since). */
  setFocusRows(rows: FocusRows): void;
  setBusy(busy: boolean): void;
  setComputeError(message: string | null): void;
  setActiveBackend(name: string | null, error: string | null): void;
  /** The tokens a checkpoint's tokenizer made of the text (they replace the provisional ones; not undoable). */
  setModelTokens(tokens: string[]): void;
  /** Asks the compute client to ablate each head in turn ("which heads matter?"). */
  requestImportance(): void;
  cancelImportance(): void;
  setImportance(patch: Partial<Importance>): void;
}

export function resultsSlice({ set, get, history }: SliceContext): ResultActions {
  const { look } = history;
  return {
    setComputed(c) {
      const layer = c.layer;
      const computed: Computed = { ...c, analysis: null, analysisError: null, fromKeptRun: false };
      set((s) => ({
        computed,
        focusRows: null,
        computeError: null,
        enabledHeads: Array.from({ length: computed.result.heads.length }, (_, i) => s.enabledHeads[i] ?? true),
      }));
      // A link or an older result may name a layer or head the model does not have.
      const doc = get().doc;
      const head = Math.min(doc.head, computed.result.heads.length - 1);
      if (layer !== doc.layer || head !== doc.head) look({ layer, head });
    },
    setLayer(id, detail, second, ms) {
      const c = get().computed;
      if (!c) return;
      const compare = c.model?.compare && second ? { ...c.model.compare, layer: detail.layer, ...second } : (c.model?.compare ?? null);
      const model = c.model ? { ...c.model, compare } : null;
      const focusRows = get().focusRows;
      set({
        computed: { ...c, id, layer: detail.layer, input: detail.input, result: detail.result, model, ms, fromKeptRun: true },
        focusRows: focusRows && focusRows.of === c.id ? { ...focusRows, of: id } : focusRows,
        computeError: null,
      });
      const doc = get().doc;
      const head = Math.min(doc.head, detail.result.heads.length - 1);
      if (detail.layer !== doc.layer || head !== doc.head) look({ layer: detail.layer, head });
    },
    setRollout(id, rollout) {
      const c = get().computed;
      if (c && c.id === id && c.model) set({ computed: { ...c, model: { ...c.model, rollout } } });
    },
    setFocusRows(rows) {
      if (get().computed?.id === rows.of) set({ focusRows: rows });
    },
    setAnalysis(id, analysis) {
      const c = get().computed;
      if (c && c.id === id) set({ computed: { ...c, analysis } });
    },
    setAnalysisError(id, why) {
      const c = get().computed;
      if (c && c.id === id && !c.analysis) set({ computed: { ...c, analysisError: why } });
    },
    setBusy(busy) {
      if (get().busy !== busy) set({ busy });
    },
    setComputeError(computeError) {
      if (get().computeError !== computeError) set({ computeError });
    },
    setBackend(preferred) {
      set((s) => ({ backend: { ...s.backend, preferred, error: null } }));
    },
    setActiveBackend(active, error) {
      set((s) => ({ backend: { ...s.backend, active, error } }));
    },
    setModelTokens(tokens) {
      const doc = get().doc;
      if (doc.source.kind !== 'model' || sameTokens(doc.tokens, tokens)) return;
      look({ tokens, keyWeights: tokens.map(() => 1), padding: tokens.map(() => false) });
    },
    requestImportance() {
      if (get().doc.source.kind !== 'model') return;
      set({ importance: { ...NO_IMPORTANCE, status: 'requested' } });
    },
    cancelImportance() {
      const st = get().importance.status;
      if (st === 'running' || st === 'requested') set((s) => ({ importance: { ...s.importance, status: 'cancelling' } }));
    },
    setImportance(patch) {
      set((s) => ({ importance: { ...s.importance, ...patch } }));
    },
  };
}
