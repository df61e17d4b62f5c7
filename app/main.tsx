import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../components/views.css';
import './app.css';
import { App } from './App.tsx';
import { startComputeClient } from './computeClient.ts';
import { loadInitialState, startPersistence } from './persistence.ts';

// State first (defaults ← localStorage ← URL), then the mirrors and the worker, then the views.
loadInitialState();
startPersistence();
startComputeClient();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
