// Text width measurement for label layout: canvas measureText in the browser, an estimate elsewhere.
import { estimateTextWidth } from './geometry.ts';

const FALLBACK_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Noto Sans CJK SC', 'PingFang SC', sans-serif";
let ctx: CanvasRenderingContext2D | null | undefined;
let family = FALLBACK_FONT;
const cache = new Map<string, number>();

/** Width in CSS pixels of `text` in the views' UI font at `fontSize` px. */
export function measureText(text: string, fontSize: number): number {
  if (ctx === undefined) {
    ctx = typeof document !== 'undefined' ? document.createElement('canvas').getContext('2d') : null;
    if (ctx && typeof getComputedStyle === 'function') {
      const v = getComputedStyle(document.documentElement).getPropertyValue('--al-font').trim();
      if (v) family = v;
    }
  }
  if (!ctx) return estimateTextWidth(text, fontSize);
  const key = `${fontSize}|${text}`;
  let w = cache.get(key);
  if (w === undefined) {
    ctx.font = `${fontSize}px ${family}`;
    w = ctx.measureText(text).width;
    if (cache.size > 20000) cache.clear();
    cache.set(key, w);
  }
  return w;
}
