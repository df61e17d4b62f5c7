// What is looked at: the layer, head and cell, the hovered focus, the tab, the step, the heads drawn
// in Lines. Not undoable (it is in the link, not in the history).
import type { Focus } from '../../components/common/types.ts';
import { selectableHeads, intInRange, UI_LIMITS, type CellRef, type LessonRef, type ViewName } from '../document.ts';
import type { SliceContext } from './context.ts';
import { NO_MAX_FLOW } from './results.ts';

export const NO_FOCUS: Focus = { head: null, query: null, key: null };

export interface ViewActions {
  selectHead(head: number): void;
  selectLayer(layer: number): void;
  selectLayerHead(layer: number, head: number): void;
  selectCell(cell: CellRef | null): void;
  setFocus(focus: Focus | null): void;
  setView(view: ViewName): void;
  setStep(step: number): void;
  /** The lesson step open (in the link); null closes it. */
  setLesson(lesson: LessonRef | null): void;
  toggleLineHead(head: number): void;
}

export function viewSlice({ set, get, history }: SliceContext): ViewActions {
  const { look } = history;
  return {
    selectHead(head) {
      const { doc, computed } = get();
      const heads = computed && doc.source.kind === 'model' ? computed.result.heads.length : selectableHeads(doc);
      if (!intInRange(head, 0, heads - 1)) return;
      look({ head });
    },
    selectLayer(layer) {
      const { computed, doc, model } = get();
      if (doc.source.kind !== 'model') return;
      // The compute client asks the worker for that layer in full (the others come as A only). Before the
      // model's first run (a lesson opening it at a layer) its count is not known yet: a link's bound holds.
      const opened = model.key === doc.source.model && model.info !== null;
      const ran = computed !== null && computed.attention.length > 1 ? computed.attention.length : null;
      const layers = opened ? model.info!.layers : (ran ?? UI_LIMITS.maxLayer + 1);
      if (!intInRange(layer, 0, layers - 1)) return;
      look({ layer });
    },
    selectLayerHead(layer, head) {
      get().actions.selectLayer(layer);
      get().actions.selectHead(head);
    },
    selectCell(cell) {
      look({ cell });
    },
    setFocus(focus) {
      const f = focus ?? NO_FOCUS;
      const cur = get().focus;
      if (cur.head === f.head && cur.query === f.query && cur.key === f.key) return;
      set({ focus: f });
    },
    setView(view) {
      // Flow's method is a choice of the tab: another tab goes back to the rollout.
      if (view !== get().doc.view) set({ maxFlow: NO_MAX_FLOW });
      look({ view });
    },
    setStep(step) {
      if (!intInRange(step, 0, UI_LIMITS.maxStep)) return;
      look({ step });
    },
    setLesson(lesson) {
      if (lesson && !(intInRange(lesson.lesson, 0, UI_LIMITS.maxLesson - 1) && intInRange(lesson.step, 0, UI_LIMITS.maxLesson - 1))) return;
      const cur = get().doc.lesson;
      if (cur === lesson || (cur && lesson && cur.lesson === lesson.lesson && cur.step === lesson.step)) return;
      look({ lesson });
    },
    toggleLineHead(head) {
      const heads = selectableHeads(get().doc);
      const cur = get().enabledHeads;
      const enabled = Array.from({ length: heads }, (_, i) => cur[i] ?? true);
      enabled[head] = !enabled[head];
      set({ enabledHeads: enabled });
    },
  };
}
