// Draws an exported view's SVG away from the page's thread: a large heatmap becomes a PNG image inside
// the SVG (seconds of work for many heads of a long input), and the page shows the progress.
import { drawingSvg, type Drawing } from '../components/common/exportSvg.ts';

declare const self: DedicatedWorkerGlobalScope;

export interface ToExportWorker {
  drawing: Drawing;
}

export type FromExportWorker =
  /** `done` of `total` parts (heatmaps or heads) drawn. */
  | { type: 'progress'; done: number; total: number }
  | { type: 'done'; svg: Blob }
  | { type: 'error'; message: string };

const post = (msg: FromExportWorker) => self.postMessage(msg);

self.onmessage = (e: MessageEvent<ToExportWorker>) => {
  drawingSvg(e.data.drawing, (done, total) => post({ type: 'progress', done, total })).then(
    (svg) => post({ type: 'done', svg: new Blob([svg], { type: 'image/svg+xml' }) }),
    (err: unknown) => post({ type: 'error', message: err instanceof Error ? err.message : String(err) }),
  );
};
