// Under the text, while a teaching example is open: whether its heads are random (seeded weights) or a real
// model's own, with the way to run it on a real encoder; on the masked pronoun, what to look for.
import type { ExampleEncoder } from '../compute/hub/exampleEncoders.ts';
import { encoderFor } from '../compute/hub/exampleEncoders.ts';
import { t } from '../i18n/index.ts';
import { exampleWithText } from '../state/examples.ts';
import { useActions, useStore } from '../state/store.ts';
import { runOnLabel } from './exampleEncoders.ts';

export interface ExampleNoteProps {
  /** The encoders kept in this browser (the example runs on one of them before any download). */
  encoders: readonly ExampleEncoder[];
}

export function ExampleNote({ encoders }: ExampleNoteProps) {
  const text = useStore((s) => s.doc.text);
  const source = useStore((s) => s.doc.source);
  const info = useStore((s) => (s.doc.source.kind === 'model' ? s.model.info : null));
  const actions = useActions();
  const ex = exampleWithText(text);
  if (!ex) return null;
  if (source.kind === 'seeded') {
    const enc = encoderFor(encoders, ex.lang, ex.encoder === 'only');
    return (
      <p className="al-hint al-example-note" data-testid="example-note" data-heads="random">
        {t('examples.note.seeded')}{' '}
        {enc && (
          <button type="button" className="al-button" data-testid="example-run-real" data-model={enc.id} onClick={() => actions.loadExample(ex.id, enc.id)}>
            {runOnLabel(enc)}
          </button>
        )}
      </p>
    );
  }
  if (source.kind !== 'model' || !info) return null;
  return (
    <p className="al-hint al-example-note" data-testid="example-note" data-heads="real" data-model={info.name}>
      {t('examples.note.real', { model: info.name })}
      {ex.referent && info.predicts === 'masked-token' && <> {t('examples.note.mask', { noun: ex.referent })}</>}
    </p>
  );
}
