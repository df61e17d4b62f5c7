import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../components/theme.css';
import '../components/views.css';
import './app.css';
import './forms.css';
import { App } from './App.tsx';
import { startComputeClient } from '../compute/computeClient.ts';
import { startCorpusClient } from '../compute/corpusClient.ts';
import { loadInitialState, startPersistence } from '../state/persistence.ts';
import { startPrefs } from '../state/prefs.ts';
import { startHaltedMemory } from '../state/haltedModel.ts';
import { createAppStore, StoreContext } from '../state/store.ts';
import { startLessonLink } from './lessons/runner.ts';

// State first (defaults ← localStorage ← URL), then the mirrors and the worker, then the views.
await startPrefs(); // language first (its catalog may be a chunk): start-up messages (bad links) are written in it
const store = createAppStore();
loadInitialState(store);
startPersistence(store);
startHaltedMemory(store); // before the worker: a model whose last run hung must not start by itself
startCorpusClient(store, startComputeClient(store).port);
startLessonLink(store); // a link to a lesson step opens it

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StoreContext.Provider value={store}>
      <App />
    </StoreContext.Provider>
  </StrictMode>,
);
