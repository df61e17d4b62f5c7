import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { t } from './i18n/index.ts';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <h1>{t('app.title')}</h1>
  </StrictMode>,
);
