// The view names of the <attention-lab> element's `view` attribute, and how they map to the app's
// views (the widget, the /embed route and the app's Embed dialog all spell them this way).
import type { ViewName } from './document.ts';

export const WIDGET_VIEWS = ['heatmap', 'lines', 'steps', 'matrices', 'model', 'corpus'] as const;
export type WidgetView = (typeof WIDGET_VIEWS)[number];

/**
 * Widget view ↔ app view. "model" is the Model view: every layer's heads as thumbnails, with head scores;
 * "corpus" the Corpus view of a run given as data (the widget runs none).
 */
export const TO_APP_VIEW: Record<WidgetView, ViewName> = { heatmap: 'heads', lines: 'lines', steps: 'steps', matrices: 'matrices', model: 'model', corpus: 'corpus' };
// The across-layers views are the app's; a widget opened on one shows the Model view.
export const FROM_APP_VIEW: Record<ViewName, WidgetView> = { heads: 'heatmap', lines: 'lines', steps: 'steps', matrices: 'matrices', model: 'model', flow: 'model', lens: 'model', ablate: 'model', compare: 'model', corpus: 'corpus' };
