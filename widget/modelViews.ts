// The widget's Model view (layers × heads thumbnails, head scores): loaded on demand, with its CSS, which
// joins the widgets' shadow roots when this chunk arrives (widget/styles.ts).
import modelviewCssRaw from '../components/modelview/modelview.css?inline';
import { addStyles } from './styles.ts';

addStyles(String(modelviewCssRaw));

export { ModelGrid } from '../components/modelview/ModelGrid.tsx';
export { HeadScoresTable } from '../components/modelview/HeadScoresTable.tsx';
