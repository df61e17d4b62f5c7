// What the compute client reports back: the latest result (and its head analysis), busy, errors and
// the backend in use. Only the compute client calls these.
import type { HeadAnalysis } from '../../engine/headAnalysis.ts';
import type { BackendPref } from '../../engine/backend.ts';
import type { GpuVerdict, ThreadsWhy } from '../../engine/backendChoice.ts';
import type { PoolWhy } from '../../engine/poolPlan.ts';
import type { AttentionInput, AttentionResult, Matrix } from '../../engine/types.ts';
import type { CompareLayer, ModelExtras } from '../../engine/analysis/extras.ts';
import { clampCell, isCheckpoint, type Convention, type DocState, type Mechanism, type ModelId } from '../document.ts';
import type { SliceContext } from './context.ts';
import { MAX_FLOW_TOKENS } from '../../engine/analysis/maxflow.ts';

/** How the running backend runs: wasm's threads and why only one; why WebGPU is not used when it was wanted. */
export interface BackendMode {
  threads: number | null;
  threadsWhy: ThreadsWhy | null;
  gpu: GpuVerdict | null;
  /** Workers that share the sweep and corpus runs (the worker pool), and why that many; null until the worker says. */
  workers: number | null;
  workersWhy: PoolWhy | null;
}

export const NO_MODE: BackendMode = { threads: null, threadsWhy: null, gpu: null, workers: null, workersWhy: null };

/** One finished computation, with everything the views need to draw it. */
export interface Computed {
  id: number;
  /** The tokens the numbers are about: the document's, or those a checkpoint's tokenizer made of its text. */
  tokens: string[];
  /** A checkpoint's run: the model and the text its tokenizer read (`tokens` are its); null when the tokens are the document's. */
  tokenized: { model: ModelId; text: string } | null;
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
  /** Workers that ran heads of the finished sweep, and the heads pool workers ran (the worker pool); null before. */
  workers: number | null;
  shared: number | null;
}

/**
 * The tokens the input shows: for a checkpoint, its tokenizer's once the result of this model and text is in
 * (until then the document's words stand in); else the document's.
 */
export function inputTokens({ doc, computed }: { doc: DocState; computed: Computed | null }): string[] {
  if (doc.source.kind !== 'model' || !isCheckpoint(doc.source.model)) return doc.tokens;
  const t = computed?.tokenized;
  return t && t.model === doc.source.model && t.text === doc.text ? computed.tokens : doc.tokens;
}

/** Flow's max-flow variant, computed in the worker for the result and layer shown. */
export interface MaxFlow {
  /** What Flow shows: the rollout, or attention flow by max-flow (a view choice: rollout again when the tab changes). */
  method: 'rollout' | 'maxflow';
  /** 'running': the worker is at it (`done` of `total` rows); 'done': `matrix` is the flow of result `of` after `layer`. */
  status: 'idle' | 'running' | 'done' | 'error';
  of: number;
  layer: number;
  done: number;
  total: number;
  matrix: Matrix | null;
  error: string | null;
}

export const NO_MAX_FLOW: MaxFlow = { method: 'rollout', status: 'idle', of: -1, layer: -1, done: 0, total: 0, matrix: null, error: null };

type FlowState = { doc: DocState; computed: Computed | null; maxFlow: MaxFlow };

/** The max-flow Flow asks for: of the result and layer shown, when it is on and the input short; else null. */
export function wantedMaxFlow({ doc, computed: c, maxFlow }: FlowState): { of: number; layer: number; attention: Matrix[][] } | null {
  if (doc.view !== 'flow' || maxFlow.method !== 'maxflow' || !c || c.pooled || c.tokens.length > MAX_FLOW_TOKENS || c.layer >= c.attention.length) return null;
  return { of: c.id, layer: c.layer, attention: c.attention };
}

/** The max-flow matrix Flow shows (and exports): that of the result and layer shown, once computed; else null. */
export function shownMaxFlow(s: FlowState): Matrix | null {
  const want = wantedMaxFlow(s);
  const mf = s.maxFlow;
  return want && mf.status === 'done' && mf.of === want.of && mf.layer === want.layer ? mf.matrix : null;
}

export const NO_IMPORTANCE: Importance = { status: 'idle', done: 0, total: 0, deltas: null, target: null, position: null, error: null, workers: null, shared: null };

export interface ResultActions {
  setBackend(pref: BackendPref): void;
  setComputed(c: Omit<Computed, 'analysis' | 'analysisError' | 'fromKeptRun'>): void;
  setAnalysis(id: number, analysis: HeadAnalysis): void;
  /** The views show result `id`, painted (older results are then no longer drawn anywhere). */
  resultShown(id: number): void;
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
  setActiveBackend(name: string | null, error: string | null, mode?: Omit<BackendMode, 'workers' | 'workersWhy'>): void;
  /** How many workers share the sweep and corpus runs, and why (the worker says after the backend, and when a model changes it). */
  setWorkers(workers: number, why: PoolWhy): void;
  /** Asks the compute client to ablate each head in turn ("which heads matter?"). */
  requestImportance(): void;
  cancelImportance(): void;
  setImportance(patch: Partial<Importance>): void;
  /** Flow shows the rollout or max-flow (the compute client then has the worker compute it). */
  setFlowMethod(method: MaxFlow['method']): void;
  /** Stops a max-flow being computed: Flow shows the rollout again. */
  cancelMaxFlow(): void;
  setMaxFlow(patch: Partial<MaxFlow>): void;
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
      // A link or an older result may name a layer, head or position the model does not have. A checkpoint's
      // token count is known only now (normalizeDoc leaves its cell alone): its cell is clamped here.
      const doc = get().doc;
      const head = Math.min(doc.head, computed.result.heads.length - 1);
      const cell = computed.tokenized && inputTokens(get()) === computed.tokens ? clampCell(doc.cell, computed.tokens.length) : doc.cell;
      if (layer !== doc.layer || head !== doc.head || cell !== doc.cell) look({ layer, head, cell });
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
    resultShown(id) {
      if (id > get().shownId) set({ shownId: id });
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
    setActiveBackend(active, error, mode = NO_MODE) {
      set((s) => ({ backend: { ...s.backend, active, error, mode: { ...NO_MODE, ...mode } } }));
    },
    setWorkers(workers, workersWhy) {
      set((s) => ({ backend: { ...s.backend, mode: { ...s.backend.mode, workers, workersWhy } } }));
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
    setFlowMethod(method) {
      if (get().maxFlow.method !== method) set({ maxFlow: { ...NO_MAX_FLOW, method } });
    },
    cancelMaxFlow() {
      set({ maxFlow: NO_MAX_FLOW });
    },
    setMaxFlow(patch) {
      set((s) => ({ maxFlow: { ...s.maxFlow, ...patch } }));
    },
  };
}
