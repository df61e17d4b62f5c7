import { describe, expect, it } from 'vitest';
import { MAX_WORKERS, poolPlan, workersOverride, type PoolInput } from './poolPlan.ts';

const base: PoolInput = { backend: 'wasm', wasmThreads: 1, cores: 2, override: null, canSpawn: true };
const GiB = 2 ** 30;

describe('poolPlan', () => {
  it('pools one worker per core when wasm runs one thread', () => {
    expect(poolPlan(base)).toEqual({ workers: 2, why: 'pooled' });
    expect(poolPlan({ ...base, cores: 6 })).toEqual({ workers: 6, why: 'pooled' });
    expect(poolPlan({ ...base, cores: 64 })).toEqual({ workers: MAX_WORKERS, why: 'pooled' });
  });

  it('runs alone, with the reason, where a pool would not help or cannot start', () => {
    expect(poolPlan({ ...base, backend: 'webgpu' })).toEqual({ workers: 1, why: 'not-wasm' });
    expect(poolPlan({ ...base, backend: 'cpu' })).toEqual({ workers: 1, why: 'not-wasm' });
    expect(poolPlan({ ...base, backend: null })).toEqual({ workers: 1, why: 'not-wasm' });
    expect(poolPlan({ ...base, wasmThreads: 2 })).toEqual({ workers: 1, why: 'isolated' });
    expect(poolPlan({ ...base, canSpawn: false })).toEqual({ workers: 1, why: 'no-workers' });
    expect(poolPlan({ ...base, cores: 1 })).toEqual({ workers: 1, why: 'one-core' });
    expect(poolPlan({ ...base, cores: 0 })).toEqual({ workers: 1, why: 'one-core' });
    expect(poolPlan({ ...base, cores: NaN })).toEqual({ workers: 1, why: 'one-core' });
  });

  it('?workers=N turns the pool off or caps it, never past the cores', () => {
    expect(poolPlan({ ...base, override: 1 })).toEqual({ workers: 1, why: 'url-off' });
    expect(poolPlan({ ...base, cores: 8, override: 3 })).toEqual({ workers: 3, why: 'url-capped' });
    expect(poolPlan({ ...base, override: 2 })).toEqual({ workers: 2, why: 'pooled' });
    expect(poolPlan({ ...base, override: 16 })).toEqual({ workers: 2, why: 'pooled' });
    // The threads come first: an isolated page has no pool, whatever the address says.
    expect(poolPlan({ ...base, wasmThreads: 2, override: 2 })).toEqual({ workers: 1, why: 'isolated' });
  });

  it('a model too large to copy into every worker gets fewer workers', () => {
    // 4 GiB device: 1 GiB for copies at twice the float32 weights each.
    expect(poolPlan({ ...base, modelBytes: 1e6 })).toEqual({ workers: 2, why: 'pooled' });
    expect(poolPlan({ ...base, modelBytes: 0.5 * GiB })).toEqual({ workers: 2, why: 'pooled' });
    expect(poolPlan({ ...base, modelBytes: 0.5 * GiB + 1 })).toEqual({ workers: 1, why: 'memory' });
    expect(poolPlan({ ...base, cores: 8, modelBytes: 0.2 * GiB })).toEqual({ workers: 3, why: 'memory' });
    expect(poolPlan({ ...base, cores: 8, modelBytes: 0.2 * GiB, deviceMemoryGiB: 8 })).toEqual({ workers: 6, why: 'memory' });
    expect(poolPlan({ ...base, modelBytes: 4.9 * GiB, deviceMemoryGiB: 8 })).toEqual({ workers: 1, why: 'memory' });
  });
});

describe('workersOverride', () => {
  it('reads ?workers=N as a whole number ≥ 1', () => {
    expect(workersOverride('?workers=2')).toBe(2);
    expect(workersOverride('?lang=zh&workers=1')).toBe(1);
    expect(workersOverride('')).toBeNull();
    expect(workersOverride('?workers=0')).toBeNull();
    expect(workersOverride('?workers=two')).toBeNull();
    expect(workersOverride('?workers=-3')).toBeNull();
    expect(workersOverride('?workers=1.5')).toBeNull();
  });
});
