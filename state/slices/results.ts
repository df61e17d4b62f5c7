// What the compute client reports back: the latest result (and its head analysis), busy, errors and
// the backend in use. Only the compute client calls these.
import type { HeadAnalysis } from '../../engine/headAnalysis.ts';
import type { BackendPref } from '../../engine/backend.ts';
import type { Computed } from '../store.ts';
import type { SliceContext } from './context.ts';

export interface ResultActions {
  setBackend(pref: BackendPref): void;
  setComputed(c: Omit<Computed, 'layer' | 'input' | 'result' | 'analysis'>): void;
  setAnalysis(id: number, analysis: HeadAnalysis): void;
  setBusy(busy: boolean): void;
  setComputeError(message: string | null): void;
  setActiveBackend(name: string | null, error: string | null): void;
}

/** The selected layer's view of a computation. */
export function atLayer<T extends Pick<Computed, 'layers'>>(c: T, layer: number): T & Pick<Computed, 'layer' | 'input' | 'result'> {
  const l = Math.max(0, Math.min(c.layers.length - 1, layer));
  return { ...c, layer: l, input: c.layers[l].input, result: c.layers[l].result };
}

export function resultsSlice({ set, get, history }: SliceContext): ResultActions {
  const { look } = history;
  return {
    setComputed(c) {
      const layer = Math.min(get().doc.layer, c.layers.length - 1);
      const computed: Computed = { ...atLayer(c, layer), analysis: null };
      set((s) => ({
        computed,
        computeError: null,
        enabledHeads: Array.from({ length: computed.result.heads.length }, (_, i) => s.enabledHeads[i] ?? true),
      }));
      // A link or an older result may name a layer or head the model does not have.
      const doc = get().doc;
      const head = Math.min(doc.head, computed.result.heads.length - 1);
      if (layer !== doc.layer || head !== doc.head) look({ layer, head });
    },
    setAnalysis(id, analysis) {
      const c = get().computed;
      if (c && c.id === id) set({ computed: { ...c, analysis } });
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
  };
}
