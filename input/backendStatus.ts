// The backend status line: which backend runs and how (wasm's threads, or why only one; why WebGPU
// is not used when it was wanted).
import { t } from '../i18n/index.ts';
import type { BackendState } from '../state/store.ts';

export function backendStatus(b: BackendState): string {
  if (!b.active) return t('backend.starting');
  const { threads, threadsWhy, gpu } = b.mode;
  let line = t('backend.active', { name: b.active });
  if (threads !== null) {
    const count =
      threads > 1 ? t('backend.threads', { n: threads }) : threadsWhy ? t('backend.oneThreadWhy', { why: t(`backend.threadsWhy.${threadsWhy}`) }) : t('backend.oneThread');
    line = t('backend.withThreads', { backend: line, threads: count });
  }
  if (gpu) line += ` · ${t('backend.gpuNotUsed', { why: t(`backend.gpu.${gpu.why}`) })}`;
  return line;
}
