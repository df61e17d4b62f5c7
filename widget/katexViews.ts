// The widget's views that typeset formulas (Steps, Matrices): loaded on demand, in one chunk with
// KaTeX and its CSS, which joins the widgets' shadow roots when this chunk arrives (widget/styles.ts).
import katexCssRaw from 'katex/dist/katex.min.css?inline';
import { addStyles } from './styles.ts';

addStyles(String(katexCssRaw));

export { MatricesPanel } from '../components/matrices/MatricesPanel.tsx';
export { StepByStep } from '../components/steps/StepByStep.tsx';
