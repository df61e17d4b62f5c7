// What the widget shows of a model run besides attention: the predictions beside a view and the
// across-layers views (rollout, lens, ablation, comparison). Loaded on demand, with their CSS, which
// joins the widgets' shadow roots when this chunk arrives (widget/styles.ts).
import layersCssRaw from '../components/layers/layers.css?inline';
import { addStyles } from './styles.ts';

addStyles(String(layersCssRaw));

export { NextTokens } from '../components/layers/NextTokens.tsx';
export { LensTable } from '../components/layers/LensTable.tsx';
export { AblationPanel } from '../components/layers/AblationPanel.tsx';
export { ImportanceGrid } from '../components/layers/ImportanceGrid.tsx';
export { FlowView } from '../components/layers/FlowView.tsx';
export { CompareBody } from '../views/CompareBody.tsx';
