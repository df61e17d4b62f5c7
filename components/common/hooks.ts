// Small browser hooks shared by the views.
import { useEffect, useMemo, useState, useSyncExternalStore, type RefObject } from 'react';

function subscribeDpr(onChange: () => void): () => void {
  if (typeof window === 'undefined' || typeof window.matchMedia !== 'function') return () => {};
  let mq: MediaQueryList | null = null;
  const listen = () => {
    mq?.removeEventListener('change', handler);
    mq = window.matchMedia(`(resolution: ${window.devicePixelRatio}dppx)`);
    mq.addEventListener('change', handler);
  };
  const handler = () => {
    listen();
    onChange();
  };
  listen();
  return () => mq?.removeEventListener('change', handler);
}

/** window.devicePixelRatio, updated when it changes (zoom, moving to another screen). */
export function useDevicePixelRatio(): number {
  return useSyncExternalStore(
    subscribeDpr,
    () => (typeof window === 'undefined' ? 1 : window.devicePixelRatio || 1),
    () => 1,
  );
}

/** The content-box width of an element (via ResizeObserver); `fallback` until measured. */
export function useElementWidth(ref: RefObject<HTMLElement | null>, fallback: number): number;
export function useElementWidth(ref: RefObject<HTMLElement | null>, fallback: null): number | null;
export function useElementWidth(ref: RefObject<HTMLElement | null>, fallback: number | null): number | null {
  const [width, setWidth] = useState<number | null>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver((entries) => {
      const w = entries[0]?.contentRect.width;
      if (w !== undefined && w > 0) setWidth((prev) => (prev !== null && Math.abs(prev - w) < 0.5 ? prev : w));
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return width ?? fallback;
}

/** The content-box height of an element (via ResizeObserver); null until measured or without an element. */
export function useElementHeight(ref: RefObject<HTMLElement | null>, enabled = true): number | null {
  const [height, setHeight] = useState<number | null>(null);
  useEffect(() => {
    const el = ref.current;
    if (!enabled || !el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver((entries) => {
      const h = entries[0]?.contentRect.height;
      if (h !== undefined && h > 0) setHeight((prev) => (prev !== null && Math.abs(prev - h) < 0.5 ? prev : h));
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref, enabled]);
  return enabled ? height : null;
}

type Job = () => void;
const queue: Job[] = [];
let pumping = false;
let channel: MessageChannel | null = null;

function pump(): void {
  const job = queue.shift();
  if (job) job();
  if (queue.length > 0) post();
  else pumping = false;
}

function post(): void {
  if (typeof MessageChannel !== 'undefined') {
    if (!channel) {
      channel = new MessageChannel();
      channel.port1.onmessage = pump;
    }
    channel.port2.postMessage(null);
  } else {
    setTimeout(pump, 0);
  }
}

/** How many paint jobs are queued and not yet run (0: every scheduled paint is on its canvas). */
export function pendingPaints(): number {
  return queue.length;
}

/**
 * Runs heavy paint jobs one per macrotask so that many large heatmaps painting at once
 * leave room for input events in between. Returns a cancel function.
 */
export function schedulePaint(job: Job): () => void {
  let cancelled = false;
  const wrapped = () => {
    if (!cancelled) job();
  };
  queue.push(wrapped);
  if (!pumping) {
    pumping = true;
    post();
  }
  return () => {
    cancelled = true;
    const k = queue.indexOf(wrapped);
    if (k >= 0) queue.splice(k, 1);
  };
}

/**
 * The same array identity for as long as the contents are equal, so a parent that rebuilds an
 * equal token list on every render does not trigger re-measuring or repainting below.
 */
export function useStableStrings(values: readonly string[] | undefined): string[] | undefined {
  const key = values === undefined ? '' : JSON.stringify(values);
  return useMemo(() => (key === '' ? undefined : (JSON.parse(key) as string[])), [key]);
}

/** Like useStableStrings for boolean flags; all-false or missing becomes undefined. */
export function useStableFlags(values: readonly boolean[] | null | undefined): boolean[] | undefined {
  const key = boolKey(values);
  return useMemo(() => (key === '' ? undefined : Array.from(key, (c) => c === '1')), [key]);
}

/** "0101…" for a boolean array ("" for none or all false), so equal contents compare equal. */
export function boolKey(flags: readonly boolean[] | null | undefined): string {
  if (!flags || !flags.some(Boolean)) return '';
  let s = '';
  for (let k = 0; k < flags.length; k++) s += flags[k] ? '1' : '0';
  return s;
}

function subscribeMedia(query: string) {
  return (onChange: () => void): (() => void) => {
    if (typeof window === 'undefined' || typeof window.matchMedia !== 'function') return () => {};
    const mq = window.matchMedia(query);
    mq.addEventListener('change', onChange);
    return () => mq.removeEventListener('change', onChange);
  };
}

const mediaSubscribers = new Map<string, (onChange: () => void) => () => void>();

/** Whether a media query matches now (re-renders when it flips). False where there is no window. */
export function useMediaQuery(query: string): boolean {
  let subscribe = mediaSubscribers.get(query);
  if (!subscribe) {
    subscribe = subscribeMedia(query);
    mediaSubscribers.set(query, subscribe);
  }
  return useSyncExternalStore(
    subscribe,
    () => typeof window !== 'undefined' && typeof window.matchMedia === 'function' && window.matchMedia(query).matches,
    () => false,
  );
}

/** Phones and small tablets in portrait: the app stacks its panels and folds its menus. */
export const NARROW_QUERY = '(max-width: 900px)';
