// The page's side of the export worker: one worker per export, ended when the drawing is done or cancelled.
import type { Drawing } from '../components/common/exportSvg.ts';
import type { FromExportWorker, ToExportWorker } from './export.worker.ts';

export class ExportCancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

/** The SVG of a drawing, built in a worker; `onProgress` hears how many parts are done. */
export function drawInWorker(drawing: Drawing, onProgress: (done: number, total: number) => void, signal: AbortSignal): Promise<Blob> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./export.worker.ts', import.meta.url), { type: 'module' });
    const end = () => {
      worker.terminate();
      signal.removeEventListener('abort', cancel);
    };
    const cancel = () => {
      end();
      reject(new ExportCancelled());
    };
    if (signal.aborted) return cancel();
    signal.addEventListener('abort', cancel);
    worker.onmessage = (e: MessageEvent<FromExportWorker>) => {
      const msg = e.data;
      if (msg.type === 'progress') return onProgress(msg.done, msg.total);
      end();
      if (msg.type === 'done') resolve(msg.svg);
      else reject(new Error(msg.message));
    };
    worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      end();
      reject(new Error(e.message || 'the export worker failed'));
    };
    worker.postMessage({ drawing } satisfies ToExportWorker);
  });
}
