// The views the widget renders. The heatmap (the default view) is part of the first load; the others
// are separate chunks fetched when first shown (Lines; Steps and Matrices, with KaTeX; the Model view).
import { lazy } from 'react';
import { HeadGrid } from '../components/HeadGrid.tsx';
import type { ViewParts } from '../app/ViewBody.tsx';

const katexViews = () => import('./katexViews.ts');
const modelViews = () => import('./modelViews.ts');

export const WIDGET_PARTS: ViewParts = {
  HeadGrid,
  AttentionLines: lazy(() => import('../components/AttentionLines.tsx').then((m) => ({ default: m.AttentionLines }))),
  MatricesPanel: lazy(() => katexViews().then((m) => ({ default: m.MatricesPanel }))),
  StepByStep: lazy(() => katexViews().then((m) => ({ default: m.StepByStep }))),
  ModelGrid: lazy(() => modelViews().then((m) => ({ default: m.ModelGrid }))),
  HeadScoresTable: lazy(() => modelViews().then((m) => ({ default: m.HeadScoresTable }))),
};
