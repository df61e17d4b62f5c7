// Whether an element has come near the viewport (the model view paints a row of thumbnails only then).
// One shared observer serves every element.
import { useEffect, useState, type RefObject } from 'react';

/** How far outside the viewport an element already counts as near (a scroll of about two rows). */
const MARGIN = '200px';

let observer: IntersectionObserver | null = null;
const waiting = new Map<Element, () => void>();

function shared(): IntersectionObserver {
  observer ??= new IntersectionObserver(
    (entries) => {
      for (const e of entries) {
        if (!e.isIntersecting) continue;
        waiting.get(e.target)?.();
      }
    },
    { rootMargin: MARGIN },
  );
  return observer;
}

function watch(el: Element, onNear: () => void): () => void {
  const io = shared();
  waiting.set(el, onNear);
  io.observe(el);
  return () => {
    waiting.delete(el);
    io.unobserve(el);
  };
}

/** True once `ref`'s element has been near the viewport (it stays true); always true without IntersectionObserver. */
export function useNearViewport(ref: RefObject<Element | null>): boolean {
  const supported = typeof IntersectionObserver !== 'undefined';
  const [near, setNear] = useState(!supported);
  useEffect(() => {
    const el = ref.current;
    if (near || !el) return;
    return watch(el, () => setNear(true));
  }, [ref, near]);
  return near;
}
