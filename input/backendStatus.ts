// The backend status line: which backend runs and how (wasm's threads, or why only one; how many workers
// share the sweep and corpus runs where wasm runs one thread; why WebGPU is not used when it was wanted).
import { t } from '../i18n/index.ts';
import type { BackendState } from '../state/store.ts';

export function backendStatus(b: BackendState): string {
  if (!b.active) return t('backend.starting');
  const { threads, threadsWhy, gpu, workers, workersWhy } = b.mode;
  let line = t('backend.active', { name: b.active });
  if (threads !== null) {
    const count =
      threads > 1 ? t('backend.threads', { n: threads }) : threadsWhy ? t('backend.oneThreadWhy', { why: t(`backend.threadsWhy.${threadsWhy}`) }) : t('backend.oneThread');
    line = t('backend.withThreads', { backend: line, threads: count });
  }
  // The pool matters only where wasm runs one thread: with threads, or on another backend, the line above says it all.
  if (workers !== null && workersWhy !== null && workersWhy !== 'isolated' && workersWhy !== 'not-wasm') {
    line += ` · ${workers > 1 ? t('backend.workers', { n: workers }) : t('backend.oneWorker')}`;
    if (workersWhy !== 'pooled') line += t('backend.workersWhy', { why: t(`backend.workersWhy.${workersWhy}`) });
  }
  if (gpu) line += ` · ${t('backend.gpuNotUsed', { why: t(`backend.gpu.${gpu.why}`) })}`;
  return line;
}
