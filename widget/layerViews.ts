// What the widget shows of a model run besides attention: the predictions beside a view and the
// across-layers views (rollout, lens, ablation, comparison). Loaded on demand, with their CSS, which
// joins the widgets' shadow roots when this chunk arrives (widget/styles.ts).
import layersCssRaw from '../components/layers.css?inline';
import { addStyles } from './styles.ts';

addStyles(String(layersCssRaw));

export { NextTokens } from '../components/NextTokens.tsx';
export { LensTable } from '../components/LensTable.tsx';
export { AblationPanel } from '../components/AblationPanel.tsx';
export { ImportanceGrid } from '../components/ImportanceGrid.tsx';
export { FlowBody } from '../app/FlowBody.tsx';
export { CompareBody } from '../app/CompareBody.tsx';
