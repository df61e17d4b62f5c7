// The widget's Corpus view (a corpus run given as data: the head finder and the dashboards): loaded on
// demand, with its CSS, which joins the widgets' shadow roots when this chunk arrives (widget/styles.ts).
import corpusCssRaw from '../components/corpus/corpus.css?inline';
import { addStyles } from './styles.ts';

addStyles(String(corpusCssRaw));

export { CorpusPanel } from '../components/corpus/CorpusPanel.tsx';
export { CorpusResults } from '../components/corpus/CorpusResults.tsx';
