// <AttentionLab /> for React hosts: the same widget (the <attention-lab> element, its shadow root,
// its own store and worker) with typed props. Importing this module defines the element.
import { createElement, useEffect, useRef, type CSSProperties, type ReactElement } from 'react';
import type { CaseJson } from '../engine/types.ts';
import type { WidgetView, Theme } from './attributes.ts';
import { defineAttentionLab, type AttentionLabElement, type ReadyDetail, type SelectDetail } from './element.tsx';

export type { ReadyDetail, SelectDetail, WidgetView, Theme };

export interface AttentionLabProps {
  /** The sentence (split into words and punctuation). */
  text?: string;
  /** The tokens, exactly (wins over `text`). */
  tokens?: readonly string[];
  mechanism?: 'self' | 'weighted' | 'multi';
  convention?: 'article' | 'standard';
  heads?: number;
  d?: number;
  seed?: number;
  causal?: boolean;
  /** A local window on the causal mask: each query sees its last `window` keys. */
  window?: number;
  /** The tile size B of the online softmax the Steps view walks through. */
  tile?: number;
  view?: WidgetView;
  /** The selected head, 0-based. */
  head?: number;
  /** Pixels, or a CSS length ("24rem"). */
  height?: number | string;
  theme?: Theme;
  lang?: 'en' | 'zh';
  /** URL of a case JSON file. */
  src?: string;
  /** A case object (wins over `src`). */
  case?: CaseJson | null;
  onSelect?: (detail: SelectDetail) => void;
  onReady?: (detail: ReadyDetail) => void;
  className?: string;
  style?: CSSProperties;
  id?: string;
}

export function AttentionLab(props: AttentionLabProps): ReactElement {
  defineAttentionLab();
  const ref = useRef<AttentionLabElement | null>(null);
  const { onSelect, onReady, case: caseJson } = props;

  useEffect(() => {
    if (ref.current) ref.current.case = caseJson ?? null;
  }, [caseJson]);

  useEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    const sel = (e: Event) => onSelect?.((e as CustomEvent<SelectDetail>).detail);
    const ready = (e: Event) => onReady?.((e as CustomEvent<ReadyDetail>).detail);
    el.addEventListener('attention-lab:select', sel);
    el.addEventListener('attention-lab:ready', ready);
    return () => {
      el.removeEventListener('attention-lab:select', sel);
      el.removeEventListener('attention-lab:ready', ready);
    };
  }, [onSelect, onReady]);

  const attrs: Record<string, string | undefined> = {
    text: props.text,
    tokens: props.tokens ? JSON.stringify(props.tokens) : undefined,
    mechanism: props.mechanism,
    convention: props.convention,
    heads: props.heads?.toString(),
    d: props.d?.toString(),
    seed: props.seed?.toString(),
    causal: props.causal === undefined ? undefined : String(props.causal),
    window: props.window?.toString(),
    tile: props.tile?.toString(),
    view: props.view,
    head: props.head?.toString(),
    height: props.height?.toString(),
    theme: props.theme,
    lang: props.lang,
    src: props.src,
  };
  const defined = Object.fromEntries(Object.entries(attrs).filter(([, v]) => v !== undefined));
  // Passing the ref object to createElement is how a ref is attached; it is not read during render.
  // eslint-disable-next-line react-hooks/refs
  return createElement('attention-lab', { ref, class: props.className, style: props.style, id: props.id, ...defined });
}
