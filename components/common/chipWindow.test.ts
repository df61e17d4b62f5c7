import { describe, expect, it } from 'vitest';
import { chipWindow, windowStartFor } from './chipWindow.ts';

describe('chipWindow', () => {
  it('shows every chip of a short list', () => {
    expect(chipWindow(5, 8)).toEqual({ start: 0, end: 5 });
  });
  it('keeps the window inside the list', () => {
    expect(chipWindow(20, 8, 15)).toEqual({ start: 12, end: 20 });
    expect(chipWindow(20, 8, -3)).toEqual({ start: 0, end: 8 });
  });
  it('stretches to the chips that must show, never past the end', () => {
    expect(chipWindow(20, 8, 0, [3, 11])).toEqual({ start: 0, end: 12 });
    expect(chipWindow(20, 8, 0, [20])).toEqual({ start: 0, end: 20 });
  });
});

describe('windowStartFor', () => {
  it('moves the window as little as possible', () => {
    expect(windowStartFor(10, 0, 20, 8)).toBe(3);
    expect(windowStartFor(2, 5, 20, 8)).toBe(2);
    expect(windowStartFor(6, 5, 20, 8)).toBe(5);
  });
});
