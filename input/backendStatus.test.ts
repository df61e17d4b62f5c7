// The backend status line in both languages.
import { afterEach, describe, expect, it } from 'vitest';
import { setLang } from '../i18n/index.ts';
import { backendStatus } from './backendStatus.ts';
import type { BackendState } from '../state/store.ts';

const state = (active: string | null, mode: Partial<BackendState['mode']> = {}): BackendState => ({
  preferred: 'auto',
  active,
  error: null,
  mode: { threads: null, threadsWhy: null, gpu: null, workers: null, workersWhy: null, ...mode },
});

describe('backendStatus', () => {
  afterEach(() => setLang('en'));

  it('says which backend runs, on how many threads, and why only one', () => {
    expect(backendStatus(state(null))).toBe('starting…');
    expect(backendStatus(state('wasm', { threads: 2 }))).toBe('running on wasm, 2 threads');
    expect(backendStatus(state('wasm', { threads: 1, threadsWhy: 'not-isolated' }))).toBe('running on wasm, 1 thread: page not cross-origin isolated');
    expect(backendStatus(state('webgpu'))).toBe('running on webgpu');
    expect(backendStatus(state('wasm', { threads: 4, gpu: { why: 'mismatch', detail: 'max |ΔA| = 3e-3' } }))).toBe(
      'running on wasm, 4 threads · WebGPU not used: its test result differs from wasm',
    );
  });

  it('says how many workers share the sweep and corpus runs where wasm runs one thread, and why not more', () => {
    const one = { threads: 1, threadsWhy: 'not-isolated' } as const;
    expect(backendStatus(state('wasm', { ...one, workers: 2, workersWhy: 'pooled' }))).toBe('running on wasm, 1 thread: page not cross-origin isolated · 2 workers side by side');
    expect(backendStatus(state('wasm', { ...one, workers: 3, workersWhy: 'url-capped' }))).toBe(
      'running on wasm, 1 thread: page not cross-origin isolated · 3 workers side by side: capped by ?workers= in the address',
    );
    expect(backendStatus(state('wasm', { ...one, workers: 1, workersWhy: 'url-off' }))).toBe('running on wasm, 1 thread: page not cross-origin isolated · one worker: ?workers=1 in the address');
    expect(backendStatus(state('wasm', { ...one, workers: 1, workersWhy: 'memory' }))).toBe('running on wasm, 1 thread: page not cross-origin isolated · one worker: the model is too large to copy into more');
    // Threads, or another backend: the line says it already.
    expect(backendStatus(state('wasm', { threads: 2, workers: 1, workersWhy: 'isolated' }))).toBe('running on wasm, 2 threads');
    expect(backendStatus(state('webgpu', { workers: 1, workersWhy: 'not-wasm' }))).toBe('running on webgpu');
  });

  it('in Chinese too', () => {
    setLang('zh');
    expect(backendStatus(state('wasm', { threads: 1, threadsWhy: 'not-isolated', gpu: { why: 'no-adapter', detail: null } }))).toBe(
      '正在使用 wasm，1 个线程：页面未启用跨源隔离 · 未使用 WebGPU：没有可用的 WebGPU 适配器',
    );
    expect(backendStatus(state('wasm', { threads: 1, threadsWhy: 'not-isolated', workers: 2, workersWhy: 'pooled' }))).toBe('正在使用 wasm，1 个线程：页面未启用跨源隔离 · 2 个工作线程并行');
  });
});
