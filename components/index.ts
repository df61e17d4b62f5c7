// The views and their helpers, for the app and for embedding.
export { AttentionLines, type AttentionLinesExtraProps } from './AttentionLines.tsx';
export { ColorLegend, type ColorLegendProps } from './ColorLegend.tsx';
export { ErrorBoundary, type ErrorBoundaryProps } from './ErrorBoundary.tsx';
export { Formula, escapeTexText, type FormulaProps } from './Formula.tsx';
export { HeadGrid, gridColumns, type HeadGridExtraProps } from './HeadGrid.tsx';
export { HeadThumbnail, type HeadThumbnailProps } from './HeadThumbnail.tsx';
export { MatricesPanel, type MatricesPanelExtraProps } from './MatricesPanel.tsx';
export { MatrixHeatmap, type MatrixHeatmapAllProps, type MatrixHeatmapExtraProps } from './MatrixHeatmap.tsx';
export { Spinner, type SpinnerProps } from './Spinner.tsx';
export { StepByStep, type StepByStepExtraProps } from './StepByStep.tsx';
export { headColor, type Palette } from './color.ts';
export { displayToken, formatValue, formatFull } from './format.ts';
export { stepsFor, type StepId } from './steps.ts';
export type * from './types.ts';
