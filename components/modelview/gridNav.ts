// Arrow-key movement between the model view's tiles, over the layers shown only.
import { clamp } from '../common/geometry.ts';
import type { HeadRef } from '../common/types.ts';

/**
 * The tile `key` moves to from `at`, or null when the key is not a move. `shown` lists the layers on
 * screen in order (a filtered grid skips the others); `headsOf(l)` is how many heads layer l has.
 */
export function nextTile(at: HeadRef, key: string, ctrl: boolean, shown: readonly number[], headsOf: (layer: number) => number): HeadRef | null {
  if (shown.length === 0) return null;
  let row = Math.max(0, shown.indexOf(at.layer));
  let head = at.head;
  const widest = shown.reduce((m, l) => Math.max(m, headsOf(l)), 0);
  switch (key) {
    case 'ArrowLeft':
      head -= 1;
      break;
    case 'ArrowRight':
      head += 1;
      break;
    case 'ArrowUp':
      row -= 1;
      break;
    case 'ArrowDown':
      row += 1;
      break;
    case 'Home':
      head = 0;
      if (ctrl) row = 0;
      break;
    case 'End':
      head = widest - 1;
      if (ctrl) row = shown.length - 1;
      break;
    default:
      return null;
  }
  const layer = shown[clamp(row, 0, shown.length - 1)];
  return { layer, head: clamp(head, 0, Math.max(0, headsOf(layer) - 1)) };
}
