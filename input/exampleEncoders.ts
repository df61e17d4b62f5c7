// The real encoders the teaching examples can run on, for the input panel: those kept in this browser for the
// Hub in use (listed again whenever a model finishes loading, so a model just opened is offered at once).
import { useEffect, useMemo, useState } from 'react';
import { cachedEncoders, type ExampleEncoder } from '../compute/hub/exampleEncoders.ts';
import { browserModelStore } from '../compute/hub/store.ts';
import { formatBytes } from '../components/common/format.ts';
import { t } from '../i18n/index.ts';
import type { Example } from '../state/examples.ts';
import { useStore } from '../state/store.ts';

/** The cached encoders (empty while listing, or when the browser keeps no models: the curated ones are offered then). */
export function useCachedEncoders(): ExampleEncoder[] {
  const hub = useStore((s) => s.hub);
  const status = useStore((s) => s.model.status);
  const store = useMemo(() => browserModelStore(), []);
  const [list, setList] = useState<ExampleEncoder[]>([]);
  useEffect(() => {
    if (!store) return;
    let live = true;
    // A store that cannot be listed counts as empty: the examples then offer a download.
    cachedEncoders(store, hub).then(
      (l) => live && setList(l),
      () => live && setList([]),
    );
    return () => {
      live = false;
    };
  }, [store, hub, status]);
  return list;
}

/** "<example>: on <model>", with the download's size when the model is not cached. */
export function exampleOnLabel(ex: Example, enc: ExampleEncoder): string {
  const example = t(ex.realLabel ?? ex.label);
  return enc.cached || enc.bytes === null ? t('examples.on', { example, model: enc.label }) : t('examples.onDownload', { example, model: enc.label, size: formatBytes(enc.bytes) });
}

/** The button that runs the open example on `enc`. */
export function runOnLabel(enc: ExampleEncoder): string {
  return enc.cached || enc.bytes === null ? t('examples.note.run', { model: enc.label }) : t('examples.note.runDownload', { model: enc.label, size: formatBytes(enc.bytes) });
}
