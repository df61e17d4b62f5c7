import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { STEP_BUDGET_MS, Watchdog, asWorkStep, type WorkStep } from './watchdog.ts';

// Fake timers: these tests check which step is reported and when it may fire relative to its budget,
// not how long anything takes.
beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('Watchdog', () => {
  it('reports the step that went its budget without a sign of life, once', () => {
    const expired: WorkStep[] = [];
    const dog = new Watchdog((s) => expired.push(s));
    dog.step('tokenize');
    vi.advanceTimersByTime(STEP_BUDGET_MS.tokenize - 1);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(expired).toEqual(['tokenize']);
    vi.advanceTimersByTime(10 * STEP_BUDGET_MS.forward);
    expect(expired).toEqual(['tokenize']);
  });

  it('every beat restarts the clock; a new step takes its own budget; idle never fires', () => {
    const expired: WorkStep[] = [];
    const dog = new Watchdog((s) => expired.push(s));
    dog.step('download');
    for (let k = 0; k < 10; k++) {
      vi.advanceTimersByTime(STEP_BUDGET_MS.download - 1);
      dog.beat();
    }
    expect(expired).toEqual([]);
    dog.step('forward');
    vi.advanceTimersByTime(STEP_BUDGET_MS.tokenize + 1);
    expect(expired).toEqual([]);
    dog.step(null);
    vi.advanceTimersByTime(10 * STEP_BUDGET_MS.forward);
    expect(expired).toEqual([]);
    dog.step('analysis');
    dog.stop();
    vi.advanceTimersByTime(10 * STEP_BUDGET_MS.forward);
    expect(expired).toEqual([]);
  });

  it('knows the steps the worker names, and nothing else', () => {
    expect(asWorkStep('tokenize')).toBe('tokenize');
    expect(asWorkStep('toString')).toBeNull();
    expect(asWorkStep(null)).toBeNull();
  });
});
