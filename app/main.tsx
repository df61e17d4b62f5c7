import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../components/views.css';
import './app.css';
import { App } from './App.tsx';
import { startComputeClient } from './computeClient.ts';
import { loadInitialState, startPersistence } from './persistence.ts';
import { startPrefs } from './prefs.ts';

// State first (defaults ← localStorage ← URL), then the mirrors and the worker, then the views.
startPrefs(); // language first: start-up messages (bad links) are written in it
loadInitialState();
startPersistence();
startComputeClient();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
