// The Train panel's snapshots: every head's attention on the app's text every N steps, with a step
// scrubber and play button to watch the heads form.
import { useEffect, useMemo, useState } from 'react';
import type { Matrix } from '../../engine/types.ts';
import { HeadThumbnail } from '../../components/modelview/HeadThumbnail.tsx';
import { useT } from '../../i18n/react.ts';
import { usePrefs } from '../../state/prefs.ts';
import { snapshotAt, trainActions, trainStore, useTrain, type ShownSnapshot } from '../../compute/trainClient.ts';

const PLAY_FRAME_MS = 180;

interface SnapshotGridProps {
  /** The snapshot shown. */
  snap: ShownSnapshot;
}

/** Every head's A of one snapshot as layers × heads thumbnails (memoised per snapshot: the thumbnails repaint only when it changes). */
function SnapshotGrid({ snap }: SnapshotGridProps) {
  const t = useT();
  const palette = usePrefs((s) => s.palette);
  const [picked, setPicked] = useState<{ layer: number; head: number } | null>(null);
  const n = snap.tokens.length;
  const matrices = useMemo(() => snap.A.map((layer) => layer.map((data): Matrix => ({ rows: n, cols: n, data }))), [snap, n]);
  const big = picked && matrices[picked.layer]?.[picked.head];
  return (
    <div className="al-train-snapshot" data-testid="train-snapshot" data-step={snap.step} data-checksum={snap.checksum}>
      <div className="al-train-heads" role="group" aria-label={t('train.snapshot.grid', { step: snap.step })}>
        {matrices.map((layer, l) => (
          <div key={l} className="al-train-layer">
            <span className="al-train-layer-label">{t('train.layer', { l: l + 1 })}</span>
            {layer.map((A, h) => (
              <HeadThumbnail
                key={h}
                matrix={A}
                size={64}
                palette={palette}
                title={t('train.headTitle', { l: l + 1, h: h + 1 })}
                caption={t('train.headCaption', { h: h + 1 })}
                selected={picked?.layer === l && picked.head === h}
                onClick={() => setPicked(picked?.layer === l && picked.head === h ? null : { layer: l, head: h })}
              />
            ))}
          </div>
        ))}
      </div>
      {big && picked && (
        <div className="al-train-big">
          <HeadThumbnail
            matrix={big}
            size={200}
            palette={palette}
            title={t('train.headTitle', { l: picked.layer + 1, h: picked.head + 1 })}
            selected
            onClick={() => setPicked(null)}
          />
          <p className="al-hint">{t('train.bigHint')}</p>
        </div>
      )}
      <p className="al-train-tokens" aria-label={t('train.tokens')}>
        {snap.tokens.map((tok, i) => (
          <span key={i} className="al-train-token">
            {tok}
          </span>
        ))}
      </p>
      {snap.cut && <p className="al-hint" data-testid="train-cut">{t('train.cut', { n })}</p>}
    </div>
  );
}

export interface TrainSnapshotsProps {
  /** The app's text, which the snapshots show the heads on. */
  text: string;
}

export function TrainSnapshots({ text }: TrainSnapshotsProps) {
  const t = useT();
  const snapshots = useTrain((s) => s.snapshots);
  const selectedStep = useTrain((s) => s.selectedStep);
  const status = useTrain((s) => s.status);
  const [playing, setPlaying] = useState(false);
  const snap = snapshotAt(snapshots, selectedStep);
  const index = snap ? snapshots.indexOf(snap) : 0;

  useEffect(() => {
    if (!playing) return;
    const timer = setInterval(() => {
      const { snapshots: list, selectedStep: sel } = trainStore.getState();
      const cur = snapshotAt(list, sel);
      const i = cur ? list.indexOf(cur) : list.length - 1;
      if (i >= list.length - 1) {
        setPlaying(false);
        trainActions.select(null);
      } else trainActions.select(list[i + 1].step);
    }, PLAY_FRAME_MS);
    return () => clearInterval(timer);
  }, [playing]);

  if (status === 'idle' && snapshots.length === 0) return null;
  return (
    <section className="al-train-snapshots" aria-label={t('train.snapshots')}>
      <h3 className="al-train-h3">{t('train.snapshots')}</h3>
      {text.length === 0 && <p className="al-hint">{t('train.noText')}</p>}
      {snap && (
        <>
          <div className="al-train-row">
            <label className="al-train-scrub">
              <span data-testid="train-scrub-label">{t('train.scrub', { step: snap.step })}</span>
              <input
                type="range"
                min={0}
                max={Math.max(0, snapshots.length - 1)}
                step={1}
                value={index}
                data-testid="train-scrubber"
                aria-valuetext={t('train.scrub', { step: snap.step })}
                onChange={(e) => {
                  const i = Number(e.target.value);
                  setPlaying(false);
                  // The right end follows the newest snapshot.
                  trainActions.select(i >= snapshots.length - 1 ? null : snapshots[i].step);
                }}
              />
            </label>
            <button
              type="button"
              className="al-button al-small"
              data-testid="train-play"
              disabled={snapshots.length < 2}
              onClick={() => {
                if (!playing && index >= snapshots.length - 1) trainActions.select(snapshots[0].step);
                setPlaying(!playing);
              }}
            >
              {playing ? t('train.stop') : t('train.play')}
            </button>
          </div>
          <SnapshotGrid snap={snap} />
        </>
      )}
    </section>
  );
}

