// Entry of the widget build (dist/widget/attention-lab.js): defines <attention-lab>, nothing else.
import { defineAttentionLab } from './element.tsx';

export type { ReadyDetail, SelectDetail } from './element.tsx';
export { AttentionLabElement, defineAttentionLab } from './element.tsx';

defineAttentionLab();
