// The tab label of every view (one map for the tabs, the error boundaries and the lessons).
import type { MessageKey } from '../i18n/index.ts';
import type { ViewName } from '../state/document.ts';

export const VIEW_LABEL: Record<ViewName, MessageKey> = {
  heads: 'tab.heads',
  lines: 'tab.lines',
  matrices: 'tab.matrices',
  steps: 'tab.steps',
  model: 'tab.model',
  flow: 'tab.flow',
  lens: 'tab.lens',
  ablate: 'tab.ablate',
  compare: 'tab.compare',
  corpus: 'tab.corpus',
};
