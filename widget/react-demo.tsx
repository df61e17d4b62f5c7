// The page behind public/widget-react-demo.html: the React export inside a React host.
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { AttentionLab, type SelectDetail } from './react.tsx';

function Demo() {
  const [selected, setSelected] = useState<SelectDetail | null>(null);
  const [ready, setReady] = useState(false);
  const [view, setView] = useState<'heatmap' | 'lines'>('heatmap');
  return (
    <div>
      <p>
        <button type="button" data-testid="react-toggle-view" onClick={() => setView((v) => (v === 'heatmap' ? 'lines' : 'heatmap'))}>
          Switch view
        </button>{' '}
        <span data-testid="react-ready">{ready ? 'ready' : 'loading'}</span>{' '}
        <span data-testid="react-selected">{selected ? `${selected.head}:${selected.query}:${selected.key}` : 'none'}</span>
      </p>
      <AttentionLab
        id="react-widget"
        text="The cat sat on the mat"
        heads={2}
        d={8}
        view={view}
        theme="light"
        onReady={() => setReady(true)}
        onSelect={setSelected}
      />
    </div>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Demo />
  </StrictMode>,
);
