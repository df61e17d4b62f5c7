// The views the widget renders. The heatmap (the default view) is part of the first load; the others
// are separate chunks fetched when first shown (Lines; Steps and Matrices, with KaTeX; the Model view; a
// model run's predictions and across-layers views).
import { lazy } from 'react';
import { HeadGrid } from '../components/heads/HeadGrid.tsx';
import type { ViewParts } from '../views/ViewBody.tsx';

const katexViews = () => import('./katexViews.ts');
const modelViews = () => import('./modelViews.ts');
const layerViews = () => import('./layerViews.ts');

export const WIDGET_PARTS: ViewParts = {
  HeadGrid,
  AttentionLines: lazy(() => import('../components/lines/AttentionLines.tsx').then((m) => ({ default: m.AttentionLines }))),
  MatricesPanel: lazy(() => katexViews().then((m) => ({ default: m.MatricesPanel }))),
  StepByStep: lazy(() => katexViews().then((m) => ({ default: m.StepByStep }))),
  ModelGrid: lazy(() => modelViews().then((m) => ({ default: m.ModelGrid }))),
  HeadScoresTable: lazy(() => modelViews().then((m) => ({ default: m.HeadScoresTable }))),
  NextTokens: lazy(() => layerViews().then((m) => ({ default: m.NextTokens }))),
  FlowView: lazy(() => layerViews().then((m) => ({ default: m.FlowView }))),
  LensTable: lazy(() => layerViews().then((m) => ({ default: m.LensTable }))),
  AblationPanel: lazy(() => layerViews().then((m) => ({ default: m.AblationPanel }))),
  ImportanceGrid: lazy(() => layerViews().then((m) => ({ default: m.ImportanceGrid }))),
  CompareBody: lazy(() => layerViews().then((m) => ({ default: m.CompareBody }))),
};
