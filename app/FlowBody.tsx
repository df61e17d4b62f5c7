// The Flow view's frame: rollout from the worker, or attention flow by max-flow (short inputs only),
// computed here from the layers' attention when asked for — it is a view choice, not part of the link.
import { useMemo, useState } from 'react';
import { attentionFlow, MAX_FLOW_TOKENS } from '../engine/analysis/maxflow.ts';
import { FlowView, type FlowMethod } from '../components/FlowView.tsx';
import { useActions, useStore, type Computed } from '../state/store.ts';
import { useT } from '../i18n/react.ts';

export function FlowBody({ computed }: { computed: Computed }) {
  const t = useT();
  const actions = useActions();
  const cell = useStore((s) => s.doc.cell);
  const [method, setMethod] = useState<FlowMethod>('rollout');
  const extras = computed.model;
  const n = computed.tokens.length;
  const layer = computed.layer;
  const maxFlow = useMemo(
    () => (method === 'maxflow' && n <= MAX_FLOW_TOKENS && !computed.pooled && layer < computed.attention.length ? attentionFlow(computed.attention, layer) : null),
    [method, n, layer, computed.attention, computed.pooled],
  );
  if (!extras) return null;
  if (extras.rollout.length === 0) {
    return (
      <p className="al-hint" data-testid="flow-pending" role="status">
        {t('flow.pending')}
      </p>
    );
  }
  return (
    <FlowView
      rollout={extras.rollout}
      tokens={computed.tokens}
      layer={layer}
      query={extras.position}
      onLayer={actions.selectLayer}
      onQuery={(q) => actions.selectCell({ row: q, col: cell?.col ?? 0 })}
      method={method}
      maxFlow={maxFlow}
      maxFlowTokens={MAX_FLOW_TOKENS}
      onMethod={setMethod}
    />
  );
}
